#!/usr/bin/env python3
"""Rebuilds the committed tiny translation models and the transformers outputs the tests compare with.

Dev-time only (the tests never run Python): needs torch, transformers, tokenizers, onnx and onnxruntime.
Run it from anywhere:

    /path/to/venv/bin/python generate.py

For two architectures it builds a random-weight model with the real transformers code (M2M100 and
Marian, d_model 8, 2+2 layers, 2 heads, weights with standard deviation 1), using the committed test tokenizers
(../../tokenizer/m2m100.tokenizer.json.gz and marian-ja.tokenizer.json.gz) for the vocabulary, and
exports it the way Hugging Face Optimum lays exports out:

  <model>/onnx/encoder_model.onnx                 input_ids, attention_mask -> last_hidden_state
  <model>/onnx/decoder_model.onnx                 encoder_attention_mask, input_ids, encoder_hidden_states
                                                  -> logits, present.N.{decoder,encoder}.{key,value}
  <model>/onnx/decoder_with_past_model.onnx       ... + past_key_values.N.* -> logits, present.N.decoder.*
  <model>/onnx/decoder_model_merged.onnx          both in an If on use_cache_branch; weights shared; the
                                                  with-past branch returns empty encoder presents
  <model>/onnx/*_quantized.onnx                   onnxruntime.quantization.quantize_dynamic, QInt8,
                                                  per-channel, reduced range, subgraphs included (as the
                                                  Xenova exports were made)
  <model>/config.json, generation_config.json, tokenizer_config.json

Every .onnx file is stored gzipped (.onnx.gz); the tests unpack them with the tokenizer.json into a
temporary model folder. The Marian model keeps only the merged layout (M2M100 covers both).

and writes expected.json: for each model, source sentences encoded as the engine encodes them, and
the token ids transformers' generate() produces from the PyTorch weights (greedy and beam search,
with the generation settings in effect for each case, the model's own included). The ONNX graphs
must reproduce them exactly.
"""
import copy
import gzip
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import Tokenizer
from transformers import M2M100Config, M2M100ForConditionalGeneration, MarianConfig, MarianMTModel
from transformers.cache_utils import DynamicCache, EncoderDecoderCache

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZERS = os.path.join(HERE, "..", "..", "tokenizer")
OPSET = 17
D_MODEL, HEADS, FFN, LAYERS = 8, 2, 16, 2
# Weights far larger than transformers' 0.02 make the random decoder depend on its input, so that
# different sentences give different outputs (with 0.02 they all decode alike).
INIT_STD = 1.0

SENTENCES = {
    "ja": ["猫が窓のそばで寝ています。", "駅はどこですか。", "水", "この本はとても面白いです。", "東京タワーに行きたい。"],
    "ko": ["고양이가 창가에서 자고 있어요.", "역이 어디예요?", "물", "이 책은 정말 재미있어요."],
}


def tokenizer(name):
    with gzip.open(os.path.join(TOKENIZERS, name + ".tokenizer.json.gz"), "rb") as f:
        tok = Tokenizer.from_str(f.read().decode("utf-8"))
    tok.encode_special_tokens = True  # the engine reads special tokens in text as text
    return tok


class Encoder(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model.get_encoder()(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


class DecoderNoPast(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states):
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        out = self.model(encoder_outputs=(encoder_hidden_states,), attention_mask=encoder_attention_mask,
                         decoder_input_ids=input_ids, past_key_values=cache, use_cache=True)
        result = [out.logits]
        for i in range(LAYERS):
            s = out.past_key_values.self_attention_cache.layers[i]
            c = out.past_key_values.cross_attention_cache.layers[i]
            result += [s.keys, s.values, c.keys, c.values]
        return tuple(result)


class DecoderWithPast(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, encoder_attention_mask, input_ids, encoder_hidden_states, *past):
        cache = EncoderDecoderCache(tuple(tuple(past[4 * i:4 * i + 4]) for i in range(LAYERS)))
        out = self.model(encoder_outputs=(encoder_hidden_states,), attention_mask=encoder_attention_mask,
                         decoder_input_ids=input_ids, past_key_values=cache, use_cache=True)
        result = [out.logits]
        for i in range(LAYERS):
            s = out.past_key_values.self_attention_cache.layers[i]
            result += [s.keys, s.values]
        return tuple(result)


def names(prefix, parts):
    return ["%s.%d.%s.%s" % (prefix, i, part, kv) for i in range(LAYERS) for part in parts for kv in ("key", "value")]


def export(model, out):
    """The three graphs of the split layout, with Optimum's names and dynamic axes."""
    os.makedirs(out, exist_ok=True)
    model.eval()
    ids = torch.tensor([[5, 6, 7, 8, 9], [10, 11, 12, 1, 1]])
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])
    with torch.no_grad():
        hidden = Encoder(model)(ids, mask)
        dec_ids = torch.tensor([[2, 13, 14], [2, 15, 16]])
        past = DecoderNoPast(model)(mask, dec_ids, hidden)[1:]
    seq = {0: "batch_size", 1: "encoder_sequence_length"}
    torch.onnx.export(Encoder(model), (ids, mask), os.path.join(out, "encoder_model.onnx"), dynamo=False,
                      opset_version=OPSET, input_names=["input_ids", "attention_mask"],
                      output_names=["last_hidden_state"],
                      dynamic_axes={"input_ids": seq, "attention_mask": seq, "last_hidden_state": seq})
    model.eval()
    presents = names("present", ("decoder", "encoder"))
    axes = {"encoder_attention_mask": seq, "encoder_hidden_states": seq,
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for n in presents:
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length + 1" if ".decoder." in n
                   else "encoder_sequence_length_out"}
    torch.onnx.export(DecoderNoPast(model), (mask, dec_ids, hidden), os.path.join(out, "decoder_model.onnx"),
                      dynamo=False, opset_version=OPSET,
                      input_names=["encoder_attention_mask", "input_ids", "encoder_hidden_states"],
                      output_names=["logits"] + presents, dynamic_axes=axes)
    model.eval()
    pasts = names("past_key_values", ("decoder", "encoder"))
    axes = {"encoder_attention_mask": seq, "encoder_hidden_states": seq,
            "input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for n in pasts:
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length" if ".decoder." in n
                   else "encoder_sequence_length_out"}
    for n in names("present", ("decoder",)):
        axes[n] = {0: "batch_size", 2: "past_decoder_sequence_length + 1"}
    torch.onnx.export(DecoderWithPast(model), (mask, torch.tensor([[17], [18]]), hidden, *past),
                      os.path.join(out, "decoder_with_past_model.onnx"), dynamo=False, opset_version=OPSET,
                      input_names=["encoder_attention_mask", "input_ids", "encoder_hidden_states"] + pasts,
                      output_names=["logits"] + names("present", ("decoder",)), dynamic_axes=axes)
    model.eval()


def merge(out):
    """decoder_model + decoder_with_past_model -> decoder_model_merged, as Optimum's merge_decoders does."""
    no_past = onnx.load(os.path.join(out, "decoder_model.onnx"))
    with_past = onnx.load(os.path.join(out, "decoder_with_past_model.onnx"))
    shared = {}  # tensor content -> name in the main graph
    initializers = []

    def branch(model, prefix, outputs):
        g = model.graph
        outer = {i.name for i in model.graph.input}
        rename = {}
        for init in g.initializer:
            key = (init.data_type, tuple(init.dims), numpy_helper.to_array(init).tobytes())
            if key not in shared:
                shared[key] = "shared_%d" % len(shared)
                t = numpy_helper.from_array(numpy_helper.to_array(init), shared[key])
                initializers.append(t)
            rename[init.name] = shared[key]

        def name(n):
            if n == "" or n in outer:
                return n
            return rename.get(n, prefix + n)
        nodes = []
        for node in g.node:
            copy = onnx.NodeProto()
            copy.CopyFrom(node)
            copy.name = prefix + node.name
            del copy.input[:]
            copy.input.extend(name(i) for i in node.input)
            del copy.output[:]
            copy.output.extend(name(o) for o in node.output)
            nodes.append(copy)
        result = []
        for o in g.output:
            nodes.append(helper.make_node("Identity", [name(o.name)], [prefix + "out_" + o.name]))
            result.append(helper.make_tensor_value_info(prefix + "out_" + o.name, TensorProto.FLOAT, None))
        for o in outputs:  # empty encoder presents of the with-past branch
            nodes.append(helper.make_node("Constant", [], [prefix + "out_" + o], value=helper.make_tensor(
                prefix + "empty_" + o, TensorProto.FLOAT, [0, HEADS, 1, D_MODEL // HEADS], [])))
            result.append(helper.make_tensor_value_info(prefix + "out_" + o, TensorProto.FLOAT, None))
        return nodes, result

    presents = names("present", ("decoder", "encoder"))
    else_nodes, else_outputs = branch(no_past, "no_past/", [])
    then_nodes, then_outputs = branch(with_past, "with_past/", names("present", ("encoder",)))
    # Outputs in the no-past order: logits, then per layer decoder key/value, encoder key/value.
    order = ["logits"] + presents
    then_by_name = {o.name.split("out_", 1)[1]: o for o in then_outputs}
    then_outputs = [then_by_name[n] for n in order]
    then_graph = helper.make_graph(then_nodes, "with_past", [], then_outputs)
    else_graph = helper.make_graph(else_nodes, "no_past", [], else_outputs)
    inputs = list(no_past.graph.input)
    for i in with_past.graph.input:
        if i.name.startswith("past_key_values"):
            inputs.append(i)
    inputs.append(helper.make_tensor_value_info("use_cache_branch", TensorProto.BOOL, [1]))
    node = helper.make_node("If", ["use_cache_branch"], order, then_branch=then_graph, else_branch=else_graph)
    graph = helper.make_graph([node], "merged_decoder", inputs, list(no_past.graph.output), initializers)
    model = helper.make_model(graph, opset_imports=no_past.opset_import, producer_name="soko-test-merge")
    model.ir_version = no_past.ir_version
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(out, "decoder_model_merged.onnx"))


def quantize(out):
    for name in ("encoder_model", "decoder_model", "decoder_with_past_model", "decoder_model_merged"):
        quantize_dynamic(os.path.join(out, name + ".onnx"), os.path.join(out, name + "_quantized.onnx"),
                         weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         extra_options={"EnableSubgraph": True})


def gzip_graphs(out, keep):
    for f in os.listdir(out):
        if f.endswith(".onnx.gz"):
            os.remove(os.path.join(out, f))
    for f in sorted(os.listdir(out)):
        path = os.path.join(out, f)
        if f.endswith(".onnx"):
            if f in keep:
                with open(path, "rb") as src, open(path + ".gz", "wb") as raw:
                    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as dst:
                        dst.write(src.read())
            os.remove(path)


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


EFFECTIVE = ("max_length", "min_length", "num_beams", "length_penalty", "early_stopping", "no_repeat_ngram_size",
             "repetition_penalty", "bad_words_ids", "forced_bos_token_id", "forced_eos_token_id")


def effective(model, case):
    """The settings generate() runs with: the case's over the model's generation config."""
    config = copy.deepcopy(model.generation_config)
    config.update(**case)
    return {k: getattr(config, k) for k in EFFECTIVE if getattr(config, k) is not None}


def generate_cases(model, inputs, cases):
    out = []
    for case in cases:
        settings = dict(case)
        forced = settings.pop("forced_bos_token_id", None)
        outputs = []
        for ids in inputs:
            with torch.no_grad():
                kwargs = dict(settings)
                if forced is not None:
                    kwargs["forced_bos_token_id"] = forced
                g = model.generate(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long),
                                   do_sample=False, **kwargs)
            outputs.append(g[0].tolist())
        out.append({"settings": effective(model, case), "outputs": outputs})
    return out


def m2m100():
    tok = tokenizer("m2m100")
    vocab = tok.get_vocab_size(with_added_tokens=True)
    torch.manual_seed(1)
    config = M2M100Config(vocab_size=vocab, d_model=D_MODEL, encoder_layers=LAYERS, decoder_layers=LAYERS,
                          encoder_attention_heads=HEADS, decoder_attention_heads=HEADS, encoder_ffn_dim=FFN,
                          decoder_ffn_dim=FFN, max_position_embeddings=64, pad_token_id=1, bos_token_id=0,
                          eos_token_id=2, decoder_start_token_id=2, scale_embedding=True, init_std=INIT_STD, dropout=0.0,
                          attention_dropout=0.0, activation_dropout=0.0, encoder_layerdrop=0.0, decoder_layerdrop=0.0)
    model = M2M100ForConditionalGeneration(config).eval()
    out = os.path.join(HERE, "m2m100")
    export(model, os.path.join(out, "onnx"))
    merge(os.path.join(out, "onnx"))
    quantize(os.path.join(out, "onnx"))
    gzip_graphs(os.path.join(out, "onnx"), [f + v + ".onnx" for f in ("encoder_model", "decoder_model",
                "decoder_with_past_model", "decoder_model_merged") for v in ("", "_quantized")])
    data = json.loads(config.to_json_string())
    data["model_type"] = "m2m_100"
    write_json(os.path.join(out, "config.json"), data)
    write_json(os.path.join(out, "generation_config.json"),
               {"bos_token_id": 0, "decoder_start_token_id": 2, "eos_token_id": 2, "pad_token_id": 1,
                "max_length": 10, "num_beams": 3, "early_stopping": True})
    write_json(os.path.join(out, "tokenizer_config.json"),
               {"tokenizer_class": "M2M100Tokenizer", "src_lang": "en", "tgt_lang": "en", "unk_token": "<unk>",
                "eos_token": "</s>", "pad_token": "<pad>", "bos_token": "<s>", "sep_token": "</s>"})
    inputs = {}
    for lang, sentences in SENTENCES.items():
        lang_id = tok.token_to_id("__%s__" % lang)
        inputs[lang] = [[lang_id] + tok.encode(s, add_special_tokens=False).ids + [2] for s in sentences]
    en = tok.token_to_id("__en__")
    cases = [{"max_length": 10, "num_beams": 1, "forced_bos_token_id": en},
             {"max_length": 10, "num_beams": 3, "early_stopping": True, "forced_bos_token_id": en},
             {"max_length": 12, "num_beams": 1, "no_repeat_ngram_size": 2, "forced_bos_token_id": en},
             {"max_length": 12, "num_beams": 1, "repetition_penalty": 1.3, "forced_bos_token_id": en},
             {"max_length": 12, "num_beams": 2, "no_repeat_ngram_size": 3, "repetition_penalty": 1.2,
              "length_penalty": 0.8, "early_stopping": True, "forced_bos_token_id": en}]
    return {"inputs": inputs, "cases": {lang: generate_cases(model, inputs[lang], cases) for lang in inputs}}


def marian():
    tok = tokenizer("marian-ja")
    vocab = tok.get_vocab_size(with_added_tokens=True)
    pad = tok.token_to_id("<pad>")
    torch.manual_seed(2)
    config = MarianConfig(vocab_size=vocab, decoder_vocab_size=vocab, d_model=D_MODEL, encoder_layers=LAYERS,
                          decoder_layers=LAYERS, encoder_attention_heads=HEADS, decoder_attention_heads=HEADS,
                          encoder_ffn_dim=FFN, decoder_ffn_dim=FFN, max_position_embeddings=64, pad_token_id=pad,
                          eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0, init_std=INIT_STD, dropout=0.0,
                          attention_dropout=0.0, activation_dropout=0.0, share_encoder_decoder_embeddings=True)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias.normal_(0, 0.1)
    out = os.path.join(HERE, "marian")
    export(model, os.path.join(out, "onnx"))
    merge(os.path.join(out, "onnx"))
    quantize(os.path.join(out, "onnx"))
    gzip_graphs(os.path.join(out, "onnx"), [f + v + ".onnx" for f in ("encoder_model", "decoder_model_merged")
                                            for v in ("", "_quantized")])
    data = json.loads(config.to_json_string())
    data["model_type"] = "marian"
    write_json(os.path.join(out, "config.json"), data)
    write_json(os.path.join(out, "generation_config.json"),
               {"bad_words_ids": [[pad]], "bos_token_id": 0, "decoder_start_token_id": pad, "eos_token_id": 0,
                "forced_eos_token_id": 0, "max_length": 10, "num_beams": 3, "pad_token_id": pad})
    write_json(os.path.join(out, "tokenizer_config.json"),
               {"tokenizer_class": "MarianTokenizer", "source_lang": "ja", "target_lang": "en", "unk_token": "<unk>",
                "eos_token": "</s>", "pad_token": "<pad>"})
    inputs = {"ja": [tok.encode(s, add_special_tokens=False).ids + [0] for s in SENTENCES["ja"]]}
    cases = [{"max_length": 10, "num_beams": 1, "bad_words_ids": [[pad]], "forced_eos_token_id": 0},
             {"max_length": 10, "num_beams": 3, "bad_words_ids": [[pad]], "forced_eos_token_id": 0,
              "early_stopping": False},
             {"max_length": 12, "num_beams": 1, "bad_words_ids": [[pad]], "no_repeat_ngram_size": 2}]
    return {"inputs": inputs, "cases": {"ja": generate_cases(model, inputs["ja"], cases)}}


def main():
    expected = {"m2m100": m2m100(), "marian": marian()}
    write_json(os.path.join(HERE, "expected.json"), expected)
    for name in ("m2m100", "marian"):
        onnx_dir = os.path.join(HERE, name, "onnx")
        for f in sorted(os.listdir(onnx_dir)):
            print(name, f, os.path.getsize(os.path.join(onnx_dir, f)), file=sys.stderr)


if __name__ == "__main__":
    main()

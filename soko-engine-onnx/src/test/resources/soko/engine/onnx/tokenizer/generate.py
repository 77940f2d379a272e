#!/usr/bin/env python3
"""Rebuilds the committed tokenizer.json test fixtures and their oracle outputs.

Dev-time only (the tests never run Python): needs the `tokenizers`, `sentencepiece` and `protobuf`
packages. Run it from anywhere:

    /path/to/venv/bin/python generate.py

It writes, next to itself:
  *.tokenizer.json.gz   six tokenizer.json files covering every component Soko's Java tokenizer supports:
                        marian-ja (Xenova's OPUS-MT layout: Unigram over a Marian vocabulary, Precompiled
                        nmt_nfkc charsmap, WhitespaceSplit + legacy Metaspace keys, "$A </s>" template),
                        m2m100 (SentencePiece BPE over an M2M100-style vocab.json, 100 language tokens,
                        "__en__ $A </s>" template), nllb (BPE, NFKC + regex Replace, NLLB language codes,
                        an lstrip <mask>), llama (BPE with byte fallback, Prepend/Replace normalizers, the
                        Replace/ByteFallback/Fuse/Strip decoder chain, single_word/lstrip/rstrip/normalized
                        added tokens), unigram-bytes (Unigram with byte fallback, NFC + Strip, Metaspace
                        "first" without split) and subword (BPE with "##" prefix and "</w>" suffix,
                        Whitespace pre-tokenizer, NFKD + Lowercase, no decoder);
  strings.json.gz       the test strings (corpus lines, Japanese/Korean/mixed random strings, controls,
                        combining marks, emoji sequences, whitespace runs, empty and 20,000-char strings);
  *.expected.json.gz    per tokenizer and string: ids with and without special tokens, ids with special
                        tokens read as text, decoded text with and without special tokens (null where equal
                        to the ids with special tokens, or to the decoded text without them); and the text
                        of random id sequences.

It also prints how often the tokenizer.json route agrees with SentencePiece itself (the slow
MarianTokenizer / M2M100Tokenizer way: SentencePiece pieces looked up in the vocabulary) on the same
strings; that figure is informational, since tokenizer.json files only approximate SentencePiece.

The SentencePiece BPE model is trained here from Soko's own sentences (../marian/*.tsv); the Unigram
models are the committed ../sentencepiece/*.spm files.
"""
import gzip
import json
import os
import random
import sys
import tempfile

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as sp_pb
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from tokenizers.trainers import BpeTrainer

HERE = os.path.dirname(os.path.abspath(__file__))
MARIAN = os.path.join(HERE, "..", "marian")
SPM = os.path.join(HERE, "..", "sentencepiece")

M2M100_LANGS = ["af", "am", "ar", "ast", "az", "ba", "be", "bg", "bn", "br", "bs", "ca", "ceb", "cs", "cy", "da", "de",
                "el", "en", "es", "et", "fa", "ff", "fi", "fr", "fy", "ga", "gd", "gl", "gu", "ha", "he", "hi", "hr", "ht",
                "hu", "hy", "id", "ig", "ilo", "is", "it", "ja", "jv", "ka", "kk", "km", "kn", "ko", "lb", "lg", "ln",
                "lo", "lt", "lv", "mg", "mk", "ml", "mn", "mr", "ms", "my", "ne", "nl", "no", "ns", "oc", "or", "pa",
                "pl", "ps", "pt", "ro", "ru", "sd", "si", "sk", "sl", "so", "sq", "sr", "ss", "su", "sv", "sw", "ta",
                "th", "tl", "tn", "tr", "uk", "ur", "uz", "vi", "wo", "xh", "yi", "yo", "zh", "zu"]
NLLB_LANGS = ["eng_Latn", "fra_Latn", "jpn_Jpan", "kor_Hang", "zho_Hans", "deu_Latn"]


def corpus():
    lines = []
    for name in ("ja-en.tsv", "ko-en.tsv"):
        with open(os.path.join(MARIAN, name), encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line and not line.startswith("#"):
                    lines.extend(line.split("\t"))
    return lines


POOLS = [
    (0x3041, 0x3096), (0x30A1, 0x30FA), (0xFF66, 0xFF9F), (0xAC00, 0xD7A3), (0x3131, 0x318E), (0x1100, 0x11FF),
    (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF01, 0xFF5E), (0x3000, 0x303F), (0x2460, 0x24FF), (0x3300, 0x33FF),
    (0x2150, 0x218F), (0xFB00, 0xFB06), (0x1F300, 0x1F64F), (0x1F3FB, 0x1F3FF), (0x0000, 0x001F), (0x007F, 0x00A0),
    (0x2000, 0x200F), (0x0300, 0x036F), (0x00C0, 0x024F), (0x0020, 0x007E), (0x2028, 0x202F), (0x3099, 0x309C),
]

FIXED = ["", " ", "  ", "\u3000", "  a  b  ", "\t\n", "\n\n\n", "▁", "▁▁x", "x▁", "①Ⅻ㍻ﬁ", "ｶﾞｷﾞｸﾞ", "Ｈｅｌｌｏ　Ｗｏｒｌｄ",
         "👍🏽", "👨\u200d👩\u200d👧", "☺️", "e\u0301", "Ａ\u0301", "가\u0301", "\u1100\u1161\u11a8", "<unk>", "</s>", "<s>",
         "<pad>", "__ja__", "__en__ hello", "a</s>b", " </s> ", "jpn_Jpan", "<mask>", " <mask> x", "[SEP]", "[SEP]  x",
         "東京", "東京です", "x東京y", " 東京 ", "ＡＢ", "ab", "\u0000x", "a\u00a0b", "1,234.5円", "～〜~", "ＡＢＣ、。「」（）！？",
         "Hello, world! How are you?", "I'm fine — thanks.", "こんにちは、世界！", "안녕하세요, 세계!", "\ufeffBOM", "\u200b",
         "a\u200dlink", "🏳️\u200d🌈", "🇯🇵🇰🇷", "\U0001F9D1\U0001F3FD\u200d\U0001F4BB", "ㄱㄴㄷ", "ᄀᄂᄃ", "ｱｲｳｴｵ", "﨑", "髙橋",
         "Ⅻ月", "㈱", "№", "™", "½", "x\u0300\u0301\u0302\u0303", "\r\n", "tab\there", "  lead", "trail  "]


def strings(random_count):
    rnd = random.Random(20261128)
    lines = corpus()
    out = list(lines) + FIXED
    for line in lines:
        a = rnd.randrange(len(line))
        b = a + rnd.randrange(len(line) - a) + 1
        out.append(line[a:b])
        out.append(line.replace(" ", "  ") + " " + line)
        out.append(line + " </s> " + line[::-1])
    for i in range(random_count):
        length = 1 + rnd.randrange(24)
        mixed = i % 3 == 0
        single = POOLS[rnd.randrange(len(POOLS))]
        s = []
        for _ in range(length):
            pool = POOLS[rnd.randrange(len(POOLS))] if mixed else single
            r = rnd.randrange(10)
            if r == 0:
                s.append(" " * (1 + rnd.randrange(3)))
            elif r == 1:
                line = lines[rnd.randrange(len(lines))]
                s.append(line[rnd.randrange(len(line))])
            else:
                s.append(chr(pool[0] + rnd.randrange(pool[1] - pool[0] + 1)))
        out.append("".join(s))
    for _ in range(1):
        long = []
        n = 0
        while n < 20000:
            piece = lines[rnd.randrange(len(lines))] + (" " if rnd.random() < 0.5 else "")
            long.append(piece)
            n += len(piece)
        out.append("".join(long))
    out.append("猫" * 2000)
    out.append("😀" * 1000)
    return out


def load_spm(path):
    m = sp_pb.ModelProto()
    with open(path, "rb") as f:
        m.ParseFromString(f.read())
    return m


def write_gz(name, text):
    """Writes gzipped UTF-8 with a fixed timestamp, so that a rebuild changes only what changed."""
    with open(os.path.join(HERE, name), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(text.encode("utf-8"))


def save(tok, name, edit=None):
    """Saves a tokenizer, optionally editing its JSON, and returns the tokenizer as the Rust library loads it."""
    text = tok.to_str()
    if edit is not None:
        data = json.loads(text)
        edit(data)
        text = json.dumps(data, ensure_ascii=False)
    write_gz(name + ".tokenizer.json.gz", text)
    return Tokenizer.from_str(text)


def marian_ja():
    """Xenova's OPUS-MT layout over the committed Japanese unigram model, with the real charsmap."""
    proto = load_spm(os.path.join(SPM, "ja-nfkc.spm"))
    pieces = [(p.piece, p.score) for p in proto.pieces if p.type == 1]
    vocab = [("</s>", 0.0), ("<unk>", 0.0)] + pieces + [("<pad>", 0.0)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=1, byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap)
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                 pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ("</s>", "<unk>", "<pad>")])
    eos = tok.token_to_id("</s>")
    tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                       special_tokens=[("</s>", eos)])

    def legacy(data):
        # Xenova's marian.py writes the older Metaspace keys.
        for m in (data["pre_tokenizer"]["pretokenizers"][1], data["decoder"]):
            m.pop("prepend_scheme", None)
            m.pop("split", None)
            m["add_prefix_space"] = True
    return save(tok, "marian-ja", legacy)


def train_bpe_spm(out):
    """A small SentencePiece BPE model with the nmt_nfkc rules, from Soko's own sentences."""
    lines = corpus()
    text = "\n".join(lines + [a + " " + b for a, b in zip(lines[::2], lines[1::2])]
                     + ["0123456789 ０１２３４５６７８９ ＡＢＣ abc 、。「」（）！？"])
    spm.SentencePieceTrainer.train(sentence_iterator=iter(text.split("\n")), model_prefix=os.path.join(out, "spm"),
                                   model_type="bpe", vocab_size=600, character_coverage=0.9995,
                                   normalization_rule_name="nmt_nfkc", num_threads=1, hard_vocab_limit=False,
                                   minloglevel=2, bos_id=-1, eos_id=-1, unk_id=0)
    os.replace(os.path.join(out, "spm.model"), os.path.join(out, "sentencepiece.bpe.model"))
    os.remove(os.path.join(out, "spm.vocab"))
    return load_spm(os.path.join(out, "sentencepiece.bpe.model"))


def bpe_merges(pieces):
    """Merges that rebuild SentencePiece BPE pieces, ranked by the merged piece's place in the model."""
    rank = {p: i for i, p in enumerate(pieces)}
    merges = []
    for p in pieces:
        for i in range(1, len(p)):
            left, right = p[:i], p[i:]
            if left in rank and right in rank:
                merges.append((rank[p], rank[left], rank[right], left, right))
    merges.sort()
    return [(m[3], m[4]) for m in merges]


def m2m100(proto):
    """An M2M100-style tokenizer: fairseq vocab.json order, language tokens after it, "__en__ $A </s>"."""
    pieces = [p.piece for p in proto.pieces if p.type == 1]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for p in pieces:
        vocab.setdefault(p, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=bpe_merges(pieces), unk_token="<unk>", fuse_unk=True,
                               byte_fallback=False))
    tok.normalizer = normalizers.Precompiled(proto.normalizer_spec.precompiled_charsmap)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    specials = ["<s>", "<pad>", "</s>", "<unk>"] + ["__%s__" % l for l in M2M100_LANGS]
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    tok.post_processor = processors.TemplateProcessing(
        single="__en__ $A </s>", pair="__en__ $A $B </s>",
        special_tokens=[("__en__", tok.token_to_id("__en__")), ("</s>", 2)])
    return save(tok, "m2m100")


def nllb(proto):
    """NLLB's conventions: fairseq offsets, language codes as added tokens, "[lang] $A </s>", lstrip <mask>."""
    pieces = [p.piece for p in proto.pieces if p.type == 1]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for p in pieces:
        vocab.setdefault(p, len(vocab))
    tok = Tokenizer(models.BPE(vocab=vocab, merges=bpe_merges(pieces), unk_token="<unk>", fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ["<s>", "<pad>", "</s>", "<unk>"]
                            + NLLB_LANGS])
    tok.add_special_tokens([AddedToken("<mask>", special=True, normalized=True, lstrip=True)])
    tok.post_processor = processors.TemplateProcessing(
        single="jpn_Jpan $A </s>", pair="jpn_Jpan $A $B </s>",
        special_tokens=[("jpn_Jpan", tok.token_to_id("jpn_Jpan")), ("</s>", 2)])
    def legacy_merges(data):
        # Older files write merges as "left right" strings.
        data["model"]["merges"] = [" ".join(m) for m in data["model"]["merges"]]
    return save(tok, "nllb", legacy_merges)


def with_bytes(vocab):
    for b in range(256):
        vocab.setdefault("<0x%02X>" % b, len(vocab))
    return vocab


def llama():
    """Llama-style BPE: byte fallback, "▁" prepended by the normalizer, the Replace/ByteFallback/Fuse/Strip decoder."""
    base = Tokenizer(models.BPE(unk_token="<unk>"))
    base.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    base.train_from_iterator(corpus(), BpeTrainer(vocab_size=400, limit_alphabet=150, special_tokens=["<unk>"],
                                                  show_progress=False))
    data = json.loads(base.to_str())
    vocab = with_bytes(data["model"]["vocab"])
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in data["model"]["merges"]]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(content=" ", left=1, right=0)])
    tok.add_special_tokens([AddedToken("<s>", special=True, normalized=False),
                            AddedToken("</s>", special=True, normalized=False),
                            AddedToken("[SEP]", special=True, normalized=False, rstrip=True),
                            AddedToken("<mask>", special=True, normalized=False, lstrip=True)])
    tok.add_tokens([AddedToken("東京", single_word=True, normalized=True),
                    AddedToken("ＡＢ", normalized=True),
                    AddedToken("ab", normalized=False, single_word=True, lstrip=True, rstrip=True)])
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", pair="<s> $A </s> $B",
                                                       special_tokens=[("<s>", tok.token_to_id("<s>")),
                                                                       ("</s>", tok.token_to_id("</s>"))])
    return save(tok, "llama")


def unigram_bytes():
    """Unigram with byte fallback over the Korean model's pieces, NFC + Strip, Metaspace "first" without split."""
    proto = load_spm(os.path.join(SPM, "ko-nfkc.spm"))
    vocab = [("<unk>", 0.0)] + [(p.piece, p.score) for p in proto.pieces if p.type == 1]
    seen = {p for p, _ in vocab}
    vocab += [("<0x%02X>" % b, -20.0) for b in range(256) if "<0x%02X>" % b not in seen]
    tok = Tokenizer(models.Unigram(vocab, unk_id=0, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Strip(left=True, right=True)])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.decoder = decoders.Sequence([decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False),
                                     decoders.ByteFallback(), decoders.Fuse()])
    tok.add_special_tokens([AddedToken("</s>", special=True, normalized=False)])
    return save(tok, "unigram-bytes")


def subword():
    """BPE with a continuing-subword prefix and an end-of-word suffix, Whitespace words, NFKD + Lowercase, no decoder."""
    base = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##", end_of_word_suffix="</w>"))
    base.normalizer = normalizers.Sequence([normalizers.NFKD(), normalizers.Lowercase()])
    base.pre_tokenizer = pre_tokenizers.Whitespace()
    base.train_from_iterator(corpus(), BpeTrainer(vocab_size=900, limit_alphabet=250, special_tokens=["[UNK]"],
                                                  continuing_subword_prefix="##", end_of_word_suffix="</w>",
                                                  show_progress=False))
    tok = base
    tok.add_special_tokens([AddedToken("[CLS]", special=True, normalized=False),
                            AddedToken("[SEP]", special=True, normalized=False)])
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", tok.token_to_id("[CLS]")),
                                                                       ("[SEP]", tok.token_to_id("[SEP]"))])
    return save(tok, "subword")


def expected(name, tok, texts):
    rnd = random.Random(name)
    size = tok.get_vocab_size(with_added_tokens=True)
    cases = []
    for t in texts:
        tok.encode_special_tokens = False
        ids = tok.encode(t).ids
        plain = tok.encode(t, add_special_tokens=False).ids
        tok.encode_special_tokens = True
        astext = tok.encode(t).ids
        tok.encode_special_tokens = False
        decoded = tok.decode(ids, skip_special_tokens=True)
        decoded_all = tok.decode(ids, skip_special_tokens=False)
        # Repeats are written as null to keep the file small.
        cases.append({"ids": ids, "plain": None if plain == ids else plain, "astext": None if astext == ids else astext, "decoded": decoded,
                      "decoded_all": None if decoded_all == decoded else decoded_all})
    randoms = []
    for _ in range(500):
        ids = [rnd.randrange(size) for _ in range(rnd.randrange(24))]
        if rnd.random() < 0.1:
            ids.insert(rnd.randrange(len(ids) + 1), size + rnd.randrange(100))
        randoms.append({"ids": ids, "skip": tok.decode(ids, skip_special_tokens=True),
                        "all": tok.decode(ids, skip_special_tokens=False)})
    write_gz(name + ".expected.json.gz", json.dumps({"tokenizer": name, "cases": cases, "random": randoms},
                                                    ensure_ascii=False, separators=(",", ":")))


def agreement(name, tok, sp_path, vocab_ids, unk_id, texts):
    """How many strings give the same ids through SentencePiece + vocabulary lookup as through tokenizer.json."""
    sp = spm.SentencePieceProcessor(model_file=sp_path)
    same = 0
    for t in texts:
        slow = [vocab_ids.get(p, unk_id) for p in sp.encode(t, out_type=str)]
        tok.encode_special_tokens = True
        fast = tok.encode(t, add_special_tokens=False).ids
        tok.encode_special_tokens = False
        same += slow == fast
    print("%s: tokenizer.json agrees with SentencePiece on %d of %d strings" % (name, same, len(texts)),
          file=sys.stderr)


def main():
    texts = strings(2400)
    write_gz("strings.json.gz", json.dumps(texts, ensure_ascii=False))
    tmp = tempfile.mkdtemp()
    proto = train_bpe_spm(tmp)
    tokenizers = {"marian-ja": marian_ja(), "m2m100": m2m100(proto), "nllb": nllb(proto), "llama": llama(),
                  "unigram-bytes": unigram_bytes(), "subword": subword()}
    for name, tok in tokenizers.items():
        expected(name, tok, texts)
        print(name, "vocab", tok.get_vocab_size(), "strings", len(texts), file=sys.stderr)
    agreement("marian-ja", tokenizers["marian-ja"], os.path.join(SPM, "ja-nfkc.spm"),
              tokenizers["marian-ja"].get_vocab(), tokenizers["marian-ja"].token_to_id("<unk>"), texts)
    agreement("m2m100", tokenizers["m2m100"], os.path.join(tmp, "sentencepiece.bpe.model"),
              tokenizers["m2m100"].get_vocab(), 3, texts)


if __name__ == "__main__":
    main()

#!/bin/sh
# Rebuilds the committed SentencePiece test models from Soko's own sentences (../marian/*.tsv).
# Needs Debian's `sentencepiece` package (spm_train). The models are fixtures for the oracle test;
# rebuilding them changes their bytes, so commit the result.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -hv '^#' "$here/../marian/ja-en.tsv" | cut -f1 > "$tmp/ja"
grep -hv '^#' "$here/../marian/ko-en.tsv" | cut -f1 > "$tmp/ko"
grep -hv '^#' "$here/../marian/ja-en.tsv" "$here/../marian/ko-en.tsv" | cut -f2 > "$tmp/en"
# Pairs of sentences on one line give the trainer longer pieces to choose from.
paste -d ' ' "$tmp/ja" "$tmp/en" >> "$tmp/ja"
paste -d ' ' "$tmp/ko" "$tmp/en" >> "$tmp/ko"
printf '0123456789 ０１２３４５６７８９ ＡＢＣ abc ＡＢＣ、。「」（）！？\n' >> "$tmp/ja"
printf '0123456789 ０１２３４５６７８９ ＡＢＣ abc ！？\n' >> "$tmp/ko"
common="--model_type=unigram --hard_vocab_limit=false --character_coverage=0.9995 --num_threads=1 --seed_sentencepiece_size=5000"
spm_train $common --input="$tmp/ja" --model_prefix="$tmp/ja-nfkc" --vocab_size=700 --normalization_rule_name=nmt_nfkc
spm_train $common --input="$tmp/ko" --model_prefix="$tmp/ko-nfkc" --vocab_size=700 --normalization_rule_name=nmt_nfkc
spm_train $common --input="$tmp/en" --model_prefix="$tmp/en-identity" --vocab_size=300 --normalization_rule_name=identity
spm_train $common --input="$tmp/ja" --model_prefix="$tmp/ja-identity-raw" --vocab_size=400 --normalization_rule_name=identity \
  --add_dummy_prefix=false --remove_extra_whitespaces=false
for m in ja-nfkc ko-nfkc en-identity ja-identity-raw; do cp "$tmp/$m.model" "$here/$m.spm"; done

# Prints the candidates zsh's completion offers for a command line, one a line.
# Usage: zsh -f zsh-complete.zsh FOLDER_WITH__soko 'soko cache cl'
# An interactive zsh runs in a pseudo-terminal (zpty); compadd is wrapped to print what it adds.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PS1='' PROMPT='' RPROMPT=''"
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z 'compadd() { if (( ${@[(I)-[OAD]*]} )); then builtin compadd "$@"; return; fi; local -a m; builtin compadd -O m "$@"; print -rl -- ${m/#/CANDIDATE:}; builtin compadd "$@"; }'
zpty -w z "bindkey '^I' complete-word"
zpty -w z "print SETUP-''DONE"
# Wait for the setup (compinit) to finish; what was echoed until then is not a candidate.
zpty -r z setup '*SETUP-DONE*' >/dev/null || exit 5
zpty -w -n z "$2"$'\t'
zpty -w z $'\C-u'"print END-OF-CANDIDATES"
out=''
deadline=$(( SECONDS + 20 ))
while (( SECONDS < deadline )); do
  if zpty -r -t z line 2>/dev/null; then
    out+=$line
    # the marker is echoed once as typed and once as printed
    [[ $out == *END-OF-CANDIDATES*END-OF-CANDIDATES* ]] && break
  else
    sleep 0.05
  fi
done
zpty -d z
[[ $out == *END-OF-CANDIDATES*END-OF-CANDIDATES* ]] || { print -u2 "zsh did not finish completing within 20 s"; exit 4; }
print -r -- "$out" | tr -d '\r' | grep -o 'CANDIDATE:[^ ]*' | sed 's/^CANDIDATE://' | sort -u

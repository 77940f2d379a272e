# Sourced by ./soko: soko_utf8_locale makes the JVM read arguments, file names and environment
# variables as UTF-8 where the locale would make it read them as ASCII.
#
# On Linux the JVM decodes argv and file names with the charset of the C library's locale
# (sun.jnu.encoding, which -D cannot set): under LANG=C or LC_ALL=POSIX, the locale of most services
# and containers, and under a UTF-8 locale whose data is not installed (glibc then falls back to C),
# `soko translate --from ja おはよう` reads replacement characters and a Japanese path cannot be
# opened. C.UTF-8 is C with UTF-8 characters and is built into glibc (2.35 and later, and Debian's
# earlier ones). A locale with another character set (ja_JP.eucJP) is the terminal's: left alone.
# No child processes: every process counts against the launcher's start time.

# True when glibc has the data of locale $1 (or when that cannot be told without running `locale -a`).
soko_locale_exists() {
  case $1 in C | POSIX | C.[Uu][Tt][Ff]-8 | C.[Uu][Tt][Ff]8) return 0 ;; esac
  [ -n "${LOCPATH:-}" ] && return 0
  [ -e /usr/lib/locale/locale-archive ] && return 0
  local base=${1%%.*} modifier=""
  case $1 in *@*) modifier="@${1#*@}" ;; esac
  [ -d "/usr/lib/locale/$1" ] || [ -d "/usr/lib/locale/$base.utf8$modifier" ]
}

soko_utf8_locale() {
  case ${OSTYPE:-} in linux-gnu*) ;; *) return 0 ;; esac # musl is UTF-8 already; macOS and Windows JVMs use UTF-8
  local ctype=${LC_ALL:-${LC_CTYPE:-${LANG:-}}} fix=0 name value
  case $ctype in
    *.[Uu][Tt][Ff]-8 | *.[Uu][Tt][Ff]8 | *.[Uu][Tt][Ff]-8@* | *.[Uu][Tt][Ff]8@*) ;;
    "" | C | POSIX) fix=1 ;;
    *) return 0 ;;
  esac
  # setlocale(LC_ALL, "") fails as a whole, leaving C, when any category names a missing locale.
  local names=(LC_ALL)
  [ -n "${LC_ALL:-}" ] || names=(LANG ${!LC_@})
  for name in "${names[@]}"; do
    value=${!name:-}
    [ -z "$value" ] || soko_locale_exists "$value" || fix=1
  done
  if [ $fix = 1 ]; then
    export LC_ALL=C.UTF-8
  fi
}

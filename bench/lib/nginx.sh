# Sourced by the bench scripts: nginx on loopback, serving DIR/www, with its pid, logs, config and
# temp files all under DIR (nothing written elsewhere).
#
#   . bench/lib/nginx.sh
#   nginx_start DIR WORKERS ACCESS [SERVER_DIRECTIVES]
#       ACCESS: "bytes" (DIR/access.log: method, uri, status, body bytes sent, Range) or "off".
#       Picks a random high port (sets $port), writes DIR/nginx.conf, starts nginx in the background
#       (sets $nginx_pid: the caller kills it in its EXIT trap) and sets $url to
#       http://127.0.0.1:$port/a.bin. SERVER_DIRECTIVES go into the server block ("limit_rate 20m;").
#   nginx_await
#       Waits (up to about 5 s) until $url answers.
nginx_start() {
  local dir=$1 workers=$2 access=$3 extra=${4:-} user="" log
  mkdir -p "$dir/www" "$dir/temp"
  port=$(( 20000 + RANDOM % 20000 ))
  [ "$(id -u)" = 0 ] && user="user root;"
  case $access in
    bytes) log="log_format bytes '\$request_method \$uri \$status \$body_bytes_sent \"\$http_range\"';
  access_log $dir/access.log bytes;" ;;
    off) log="access_log off;" ;;
    *) echo "nginx_start: ACCESS is bytes or off, not $access" >&2; return 2 ;;
  esac
  cat >"$dir/nginx.conf" <<CONF
$user
daemon off;
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
  $log
  client_body_temp_path $dir/temp/body; proxy_temp_path $dir/temp/proxy; fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi; scgi_temp_path $dir/temp/scgi;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; keepalive_timeout 5s;
  server { listen 127.0.0.1:$port; root $dir/www; $extra }
}
CONF
  /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
  nginx_pid=$!
  url="http://127.0.0.1:$port/a.bin"
}

nginx_await() {
  for _ in $(seq 100); do curl -s -o /dev/null "$url" -r 0-0 && break; sleep 0.05; done
}

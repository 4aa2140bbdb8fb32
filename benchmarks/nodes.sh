# Helpers sourced by several-nodes.sh and node-restart.sh: nodes of the jar and HAProxy in front of them, on loopback.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
key() { head -c 32 /dev/urandom | base64; }

# The settings every node shares: fresh keys, the admin's password, the shared folder (under $1).
export_node_settings() {
  export LEDGER_PSEUDONYM_KEY=$(key) LEDGER_SIGNING_KEY=$(key) NOTIFICATIONS_MASTER_KEY=$(key)
  export LEDGER_ADMIN_PASSWORD=bench-admin-password LEDGER_SHARED_DIR=$1/shared AXONIQ_UPDATE_CHECKER_DISABLED=true
}

# Starts node $2 of the jar on port $3, its data and log under $1, its pid in $1/node$2.pid (the log is appended to, so
# a node started again keeps what it wrote before).
start_node() {
  LEDGER_DATA_DIR=$1/node$2 PORT=$3 LEDGER_NODE_NAME=node$2 \
    java -Xmx1g -jar rights-portal/target/rights-portal.jar >>"$1/node$2.log" 2>&1 &
  echo $! >"$1/node$2.pid"
}

# Whether the node on port $1 is ready.
node_ready() { curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; }

# Writes to $1 an HAProxy configuration listening on port $2, with $3 added to every server's options ("" for none),
# balancing over the nodes on the ports that follow (node1, node2, …), each checked on its readiness.
haproxy_config() {
  local cfg=$1 lb=$2 options=$3 i=0 port
  shift 3
  cat >"$cfg" <<CFG
global
    maxconn 4000
defaults
    mode http
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    retries 2
    retry-on conn-failure
    option redispatch
    http-reuse always
frontend ledger
    bind 127.0.0.1:$lb
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /actuator/health/readiness
    default-server inter 500ms fall 2 rise 2${options:+ $options}
CFG
  for port in "$@"; do
    i=$((i + 1))
    echo "    server node$i 127.0.0.1:$port check" >>"$cfg"
  done
}

# Waits until the balancer on port $1 answers, then until its first health checks have passed.
await_balancer() {
  until curl -sf "http://127.0.0.1:$1/actuator/health/readiness" >/dev/null; do sleep 0.2; done
  sleep 2 # every server checked up
}

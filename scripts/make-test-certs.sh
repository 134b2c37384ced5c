#!/usr/bin/env bash
# Makes the certificates the TLS tests use, with the `openssl` command, in
# DIR (created): a test CA and a server certificate for localhost and
# 127.0.0.1 signed by it, plus everything a client must refuse or a server
# must refuse.  Each test run makes its own; nothing here is a secret.
#
#   ca.pem                    the test CA (clients trust it with tls_ca)
#   server.pem server.key     localhost / 127.0.0.1, signed by ca.pem
#   expired.pem expired.key   localhost, signed by ca.pem, expired in 2020
#   wronghost.pem wronghost.key  wrong.example only, signed by ca.pem
#   other-ca.pem              a CA nobody trusts
#   untrusted.pem untrusted.key  localhost, signed by other-ca.pem
#   client.pem client.key     a client certificate signed by ca.pem
#   rogue-client.pem rogue-client.key  a client certificate signed by other-ca.pem
#
# Usage: scripts/make-test-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
quiet() { "$@" >/dev/null 2>&1 || { echo "make-test-certs: failed: $*" >&2; "$@"; exit 1; }; }

ca() {  # NAME SUBJECT
  quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -days 3650 \
    -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}

# leaf NAME CA SUBJECT-ALT-NAMES USAGE [openssl x509 validity options...]
leaf() {
  local name=$1 issuer=$2 san=$3 usage=$4
  shift 4
  quiet openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name"
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\n' "$san" "$usage" > "$name.ext"
  quiet openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -out "$name.pem" -extfile "$name.ext" "$@"
  rm -f "$name.csr" "$name.ext"
}

ca ca "NWS test CA"
ca other-ca "Another CA"
leaf server ca "DNS:localhost,IP:127.0.0.1" serverAuth -days 3650
leaf wronghost ca "DNS:wrong.example" serverAuth -days 3650
leaf untrusted other-ca "DNS:localhost,IP:127.0.0.1" serverAuth -days 3650
leaf client ca "DNS:client" clientAuth -days 3650
leaf rogue-client other-ca "DNS:client" clientAuth -days 3650
# Expired: valid from 2019 to 2020.  `openssl x509` of OpenSSL 3.0 cannot
# set dates in the past; `openssl ca` can.
quiet openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=expired"
mkdir -p ca-db
: > ca-db/index.txt
cat > ca-db/ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
subjectAltName = DNS:localhost,IP:127.0.0.1
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
CNF
echo 01 > ca-db/serial
quiet openssl ca -batch -config ca-db/ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
  -startdate 20190101000000Z -enddate 20200101000000Z -notext
rm -rf ca-db expired.csr
rm -f ./*.srl
chmod 600 ./*.key

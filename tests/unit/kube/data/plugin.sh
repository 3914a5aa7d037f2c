#!/bin/sh
# Test exec credential plugin for tst_execplugin. PLUGIN_MODE picks the behaviour; the test
# reads what it did from files (runs counted in PLUGIN_COUNT_FILE, PLUGIN_MARKER created).
if [ -n "$PLUGIN_COUNT_FILE" ]; then echo run >>"$PLUGIN_COUNT_FILE"; fi
if [ -n "$PLUGIN_MARKER" ]; then : >"$PLUGIN_MARKER"; fi
api="${PLUGIN_API_VERSION:-client.authentication.k8s.io/v1}"
if [ -n "$PLUGIN_EXPIRY_FILE" ]; then
    expiry=$(cat "$PLUGIN_EXPIRY_FILE")
else
    expiry=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
fi
token="${PLUGIN_TOKEN:-plugin-token-s3cr3t}"
case "${PLUGIN_MODE:-token}" in
argv) token=$(printf '%s\n' "$@" | base64 -w0) ;;
info) token=$(printf '%s' "$KUBERNETES_EXEC_INFO" | base64 -w0) ;;
hang) exec sleep 30 ;;
flood) exec yes "flooding-the-output-of-the-plugin" ;;
fail)
    echo "first line" >&2
    echo "Authorization: Bearer leaked-s3cr3t-value" >&2
    echo "login failed" >&2
    exit 3
    ;;
past) expiry="2000-01-01T00:00:00Z" ;;
badjson)
    echo "this is not json"
    exit 0
    ;;
noexpiry)
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"}}\n' "$api" "$token"
    exit 0
    ;;
cert)
    cert=$(awk '{printf "%s\\n", $0}' "$PLUGIN_CERT_FILE")
    key=$(awk '{printf "%s\\n", $0}' "$PLUGIN_KEY_FILE")
    printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s"}}\n' \
        "$api" "$cert" "$key"
    exit 0
    ;;
esac
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' \
    "$api" "$token" "$expiry"

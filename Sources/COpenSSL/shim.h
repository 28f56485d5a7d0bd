#ifndef RETMPL_COPENSSL_SHIM_H
#define RETMPL_COPENSSL_SHIM_H
/* OpenSSL (libssl-dev, 3.x) for retmpl's TLS client. The inline helpers wrap
 * what Swift cannot import: function-like macros and composite constants. */
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* Refuses to prompt on the terminal for an encrypted key's passphrase. */
static inline int retmpl_ssl_no_password(char *buf, int size, int rwflag, void *userdata) {
    (void)buf; (void)size; (void)rwflag; (void)userdata;
    return 0;
}

/* Client defaults: TLS 1.2 or newer, partial writes with a buffer that may
 * move between retries, no passphrase prompt, and a peer that closes without close_notify reading
 * as end of stream (HTTP framing, not TLS, detects truncation). Returns 1 on success. */
static inline int retmpl_ssl_ctx_configure(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_default_passwd_cb(ctx, retmpl_ssl_no_password);
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/* Server Name Indication (a macro over SSL_ctrl). Returns 1 on success. */
static inline int retmpl_ssl_set_sni(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

#endif

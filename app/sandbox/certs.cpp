#include "sandbox/certs.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace kd::sandbox {

namespace {

template<typename T, void (*Free)(T *)> struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void check(bool ok, const char *what) {
    if (!ok)
        throw std::runtime_error(std::string("OpenSSL failed to ") + what);
}

PkeyPtr newKey() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "generate a P-256 key");
    return key;
}

std::string bioString(BIO *bio) {
    char *data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string keyPem(EVP_PKEY *key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "write a key");
    return bioString(bio.get());
}

std::string certPem(X509 *cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(bio.get(), cert) == 1, "write a certificate");
    return bioString(bio.get());
}

PkeyPtr readKey(const std::string &pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    check(key != nullptr, "read a key");
    return key;
}

X509Ptr readCert(const std::string &pem) {
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    check(cert != nullptr, "read a certificate");
    return cert;
}

void addExtension(X509 *cert, X509 *issuer, int nid, const std::string &value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "build a certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

X509Ptr newCert(EVP_PKEY *key, const std::string &cn, const std::vector<std::string> &orgs,
                const CertOptions &o) {
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7F;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), o.notBeforeOffsetSeconds);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), o.notBeforeOffsetSeconds + o.validSeconds);
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    for (const auto &org : orgs)
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(org.c_str()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.c_str()), -1, -1, 0);
    return cert;
}

} // namespace

KeyCertPem makeCertificateAuthority(const std::string &commonName, const CertOptions &options) {
    PkeyPtr key = newKey();
    CertOptions o = options;
    o.validSeconds = std::max(o.validSeconds, 10L * 365 * 24 * 3600);
    X509Ptr cert = newCert(key.get(), commonName, {}, o);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    addExtension(cert.get(), cert.get(), NID_key_usage,
                 "critical,keyCertSign,cRLSign,digitalSignature");
    addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
    check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "sign the CA");
    return {certPem(cert.get()), keyPem(key.get())};
}

KeyCertPem issueCertificate(const KeyCertPem &issuer, const std::string &commonName,
                            const std::vector<std::string> &organizations, bool serverUsage,
                            const CertOptions &options) {
    PkeyPtr issuerKey = readKey(issuer.keyPem);
    X509Ptr issuerCert = readCert(issuer.certPem);
    PkeyPtr key = newKey();
    X509Ptr cert = newCert(key.get(), commonName, organizations, options);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuerCert.get()));
    addExtension(cert.get(), issuerCert.get(), NID_basic_constraints, "critical,CA:FALSE");
    addExtension(cert.get(), issuerCert.get(), NID_key_usage,
                 "critical,digitalSignature,keyEncipherment");
    addExtension(cert.get(), issuerCert.get(), NID_ext_key_usage,
                 serverUsage ? "serverAuth" : "clientAuth");
    addExtension(cert.get(), issuerCert.get(), NID_authority_key_identifier, "keyid");
    if (serverUsage) {
        std::string san;
        for (const auto &d : options.dnsNames)
            san += (san.empty() ? "DNS:" : ",DNS:") + d;
        for (const auto &ip : options.ipAddresses)
            san += (san.empty() ? "IP:" : ",IP:") + ip;
        if (!san.empty())
            addExtension(cert.get(), issuerCert.get(), NID_subject_alt_name, san);
    }
    check(X509_sign(cert.get(), issuerKey.get(), EVP_sha256()) > 0, "sign a certificate");
    return {certPem(cert.get()), keyPem(key.get())};
}

TlsMaterial generateTlsMaterial(const CertOptions &options) {
    TlsMaterial m;
    m.ca = makeCertificateAuthority("kubedeck-sandbox-ca");
    m.server = issueCertificate(m.ca, "kubedeck-sandbox-apiserver", {}, true, options);
    m.adminClient = issueCertificate(m.ca, "kubedeck-admin", {"system:masters"}, false, options);
    return m;
}

} // namespace kd::sandbox

#pragma once
// The sandbox's own PKI: a CA, a server certificate for the loopback names, and an admin client
// certificate (CN kubedeck-admin, O system:masters), generated fresh with OpenSSL (ECDSA P-256).

#include <string>
#include <vector>

namespace kd::sandbox {

struct KeyCertPem {
    std::string certPem;
    std::string keyPem;
};

struct TlsMaterial {
    KeyCertPem ca;
    KeyCertPem server;
    KeyCertPem adminClient;
};

struct CertOptions {
    std::vector<std::string> dnsNames{"localhost"};
    std::vector<std::string> ipAddresses{"127.0.0.1", "::1"};
    long validSeconds = 365L * 24 * 3600;
    long notBeforeOffsetSeconds = -3600; // relative to now; tests make expired certificates with it
};

TlsMaterial generateTlsMaterial(const CertOptions &options = {});
// A certificate signed by `issuer` (for tests: wrong CA, expired, other names).
KeyCertPem issueCertificate(const KeyCertPem &issuer, const std::string &commonName,
                            const std::vector<std::string> &organizations, bool serverUsage,
                            const CertOptions &options);
KeyCertPem makeCertificateAuthority(const std::string &commonName, const CertOptions &options = {});

} // namespace kd::sandbox

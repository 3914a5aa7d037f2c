#pragma once
// The sandbox's HTTP(S) front: serves the API on a loopback port with a thread per connection,
// authenticates by client certificate or bearer token, and streams watches.

#include "sandbox/auth.h"
#include "sandbox/certs.h"
#include "sandbox/faults.h"

#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace kd::sandbox {

class Cluster;
class ApiHandler;

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0; // 0: any free port
    bool tls = false;
    int threads = 64; // watches hold a thread each
    CertOptions certificates;
    std::string defaultNamespace = "default"; // for the kubeconfig's contexts
};

class ApiServer {
public:
    ApiServer(Cluster &cluster, ServerOptions options);
    ~ApiServer();
    ApiServer(const ApiServer &) = delete;
    ApiServer &operator=(const ApiServer &) = delete;

    // Binds and serves on a background thread; returns the port. Throws std::runtime_error when
    // the port cannot be bound.
    int start();
    void stop();

    int port() const { return m_port; }
    std::string url() const;
    const Credentials &credentials() const { return m_authorizer.credentials(); }
    const std::optional<TlsMaterial> &tlsMaterial() const { return m_tls; }
    FaultInjector &faults() { return m_faults; }

    // A kubeconfig with contexts sandbox-admin (client certificate over TLS, else the admin
    // token), sandbox-admin-token and sandbox-viewer. It holds secrets: write it with
    // writePrivateFile.
    std::string kubeconfig() const;

private:
    struct Impl;
    Cluster &m_cluster;
    ServerOptions m_options;
    Authorizer m_authorizer;
    std::optional<TlsMaterial> m_tls;
    FaultInjector m_faults;
    std::unique_ptr<Impl> m_impl;
    std::unique_ptr<ApiHandler> m_handler;
    std::thread m_thread;
    int m_port = 0;
};

// Writes a file only its owner may read (0600), replacing it atomically. Throws on failure.
void writePrivateFile(const std::string &path, const std::string &content);

} // namespace kd::sandbox

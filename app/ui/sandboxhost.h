#pragma once
// The built-in sandbox cluster, run inside the Kubedeck process so that a fresh machine has a
// cluster to look at: a simulated API server on a loopback port (HTTPS, client certificates)
// and a private kubeconfig for it, removed when the host goes.

#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <string>

namespace kd::sandbox {
class Cluster;
class ApiServer;
} // namespace kd::sandbox

namespace kd::ui {

class SandboxHost final {
public:
    struct Options {
        std::string scenario = "ml-serving";
        double speed = 1.0;
    };

    // Loads the scenario, warms it up and starts serving. Slow (seconds for big scenarios): call
    // it off the GUI thread. Throws std::runtime_error with a message for the user.
    explicit SandboxHost(Options options);
    ~SandboxHost();
    SandboxHost(const SandboxHost &) = delete;
    SandboxHost &operator=(const SandboxHost &) = delete;

    // A kubeconfig (mode 0600) with contexts sandbox-admin and sandbox-viewer.
    QString kubeconfigPath() const { return m_kubeconfigPath; }
    QString url() const;
    QString scenarioName() const { return QString::fromStdString(m_scenarioName); }
    sandbox::Cluster &cluster() { return *m_cluster; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Cluster> m_cluster;
    std::unique_ptr<sandbox::ApiServer> m_server;
    QString m_kubeconfigPath;
    std::string m_scenarioName;
};

} // namespace kd::ui

#pragma once
// A sandbox cluster served on a loopback port for tests: scenario, API server, kubeconfig file.

#include "sandbox/cluster.h"
#include "sandbox/scenario.h"
#include "sandbox/server.h"

#include <QDir>
#include <QTemporaryDir>

#include <memory>
#include <string>

namespace kd::testing {

class SandboxFixture {
public:
    struct Options {
        std::string scenario = "ml-serving";
        double speed = 1.0;
        bool tls = true;
    };

    explicit SandboxFixture(Options options)
        : m_cluster(sandbox::Cluster::Options{sandbox::Clock::Mode::Real, options.speed, 0}) {
        sandbox::applyScenario(m_cluster, sandbox::loadScenario(options.scenario));
        sandbox::ServerOptions so;
        so.tls = options.tls;
        so.defaultNamespace = "default";
        m_server = std::make_unique<sandbox::ApiServer>(m_cluster, so);
        m_server->start();
        m_cluster.start();
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        sandbox::writePrivateFile(m_kubeconfig.toStdString(), m_server->kubeconfig());
    }
    ~SandboxFixture() {
        m_server->stop();
        m_cluster.stop();
    }

    sandbox::Cluster &cluster() { return m_cluster; }
    sandbox::ApiServer &server() { return *m_server; }
    QString kubeconfigPath() const { return m_kubeconfig; }
    QString tempDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    sandbox::Cluster m_cluster;
    std::unique_ptr<sandbox::ApiServer> m_server;
    QString m_kubeconfig;
};

} // namespace kd::testing

#include "ui/sandboxhost.h"

#include "sandbox/cluster.h"
#include "sandbox/scenario.h"
#include "sandbox/server.h"

#include <QDir>

#include <stdexcept>

namespace kd::ui {

SandboxHost::SandboxHost(Options options)
    : m_dir(QDir::tempPath() + QStringLiteral("/kubedeck-sandbox-XXXXXX")) {
    if (!m_dir.isValid())
        throw std::runtime_error("cannot create a private folder for the sandbox's kubeconfig: " +
                                 m_dir.errorString().toStdString());
    sandbox::Scenario scenario = sandbox::loadScenario(options.scenario);
    m_scenarioName = scenario.name;
    m_cluster = std::make_unique<sandbox::Cluster>(sandbox::Cluster::Options{
        sandbox::Clock::Mode::Real, options.speed, sandbox::realClockStart(scenario)});
    sandbox::applyScenario(*m_cluster, scenario);
    sandbox::ServerOptions serverOptions;
    serverOptions.tls = true;
    serverOptions.defaultNamespace = sandbox::defaultNamespaceOf(scenario);
    m_server = std::make_unique<sandbox::ApiServer>(*m_cluster, serverOptions);
    m_server->start();
    m_cluster->start();
    m_kubeconfigPath = m_dir.filePath(QStringLiteral("kubeconfig"));
    sandbox::writePrivateFile(m_kubeconfigPath.toStdString(), m_server->kubeconfig());
}

SandboxHost::~SandboxHost() {
    if (m_server)
        m_server->stop();
    if (m_cluster)
        m_cluster->stop();
}

QString SandboxHost::url() const {
    return QString::fromStdString(m_server->url());
}

} // namespace kd::ui

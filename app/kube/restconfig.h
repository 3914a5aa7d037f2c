#pragma once
// Everything needed to talk to one cluster as one user: the result of resolving a kubeconfig
// context, and the input of the transport. Holds secrets: never log it (see redact.h).

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace kd::kube {

struct ExecConfig {
    QString apiVersion;      // client.authentication.k8s.io/v1 or v1beta1
    QString command;         // as written in the kubeconfig
    QString resolvedCommand; // absolute path after the kubeconfig rules; empty when not found
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString installHint;
    bool provideClusterInfo = false;
    QString interactiveMode; // Never, IfAvailable, Always ("" for v1beta1 = IfAvailable)
};

struct RestConfig {
    QString contextName;
    QString clusterName;
    QString userName;
    QString namespaceName = QStringLiteral("default");
    QString sourceFile; // the kubeconfig file that defined the context (for messages)

    QUrl server;                        // https://host:port[/prefix]
    QByteArray caPem;                   // empty: the system trust store
    bool insecureSkipTlsVerify = false; // shown as insecure in the UI
    QString tlsServerName;              // SNI and the name the certificate must carry
    QUrl proxyUrl;                      // http, https or socks5; empty: none

    // Static credentials; at most one method (token, basic, or exec) besides a client cert.
    QByteArray clientCertPem;
    QByteArray clientKeyPem;
    QByteArray bearerToken;
    QString tokenFile; // re-read periodically; wins over bearerToken
    QString username;
    QByteArray password;
    std::optional<ExecConfig> exec;

    // Cluster info for exec plugins with provideClusterInfo.
    QByteArray
        clusterExtensionJson; // clusters[].cluster.extensions["client.authentication.k8s.io/exec"].
};

} // namespace kd::kube

#include "ui/gui.h"

#include "kube/redact.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QStringList>

#include <cstdio>

namespace kd::ui {

namespace {

// The command line without the options QApplication itself understands (-platform offscreen,
// -style fusion, ...), which it takes out of argv later.
QStringList kubedeckArguments(int argc, char **argv) {
    static const QStringList qtWithValue = {
        QStringLiteral("-platform"),        QStringLiteral("-platformpluginpath"),
        QStringLiteral("-platformtheme"),   QStringLiteral("-plugin"),
        QStringLiteral("-qwindowgeometry"), QStringLiteral("-qwindowtitle"),
        QStringLiteral("-qwindowicon"),     QStringLiteral("-style"),
        QStringLiteral("-stylesheet"),      QStringLiteral("-session"),
        QStringLiteral("-display"),         QStringLiteral("-geometry")};
    static const QStringList qtFlags = {QStringLiteral("-reverse"), QStringLiteral("-widgetcount"),
                                        QStringLiteral("-nograb"), QStringLiteral("-dograb"),
                                        QStringLiteral("-sync")};
    QStringList list;
    for (int i = 0; i < argc; ++i) {
        QString arg = QString::fromLocal8Bit(argv[i]);
        if (i > 0 && qtWithValue.contains(arg)) {
            ++i;
            continue;
        }
        if (i > 0 && qtFlags.contains(arg))
            continue;
        list << arg;
    }
    return list;
}

} // namespace

int runGui(int argc, char **argv) {
    // Parse before QApplication exists so a usage error never needs a display.
    QCommandLineParser p;
    const QCommandLineOption kubeconfig(QStringLiteral("kubeconfig"),
                                        QStringLiteral("Read this kubeconfig only."),
                                        QStringLiteral("file"));
    const QCommandLineOption context(QStringLiteral("context"),
                                     QStringLiteral("Connect to this context."),
                                     QStringLiteral("name"));
    const QCommandLineOption ns(QStringLiteral("namespace"), QStringLiteral("Show this namespace."),
                                QStringLiteral("ns"));
    const QCommandLineOption sandbox(QStringLiteral("sandbox"),
                                     QStringLiteral("Connect to the built-in sandbox cluster."));
    p.addOptions({kubeconfig, context, ns, sandbox});
    p.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!p.parse(kubedeckArguments(argc, argv)) || !p.positionalArguments().isEmpty()) {
        QString problem =
            p.errorText().isEmpty()
                ? QStringLiteral("unexpected argument '%1'").arg(p.positionalArguments().value(0))
                : p.errorText();
        std::fprintf(stderr, "kubedeck: %s\nRun 'kubedeck --help' for the options.\n",
                     qPrintable(problem));
        return 2;
    }
    if (p.isSet(sandbox) && p.isSet(context)) {
        std::fputs("kubedeck: --sandbox and --context exclude each other\n", stderr);
        return 2;
    }

    kube::installRedactingMessageHandler();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kubedeck"));
    QApplication::setOrganizationName(QStringLiteral("Kubedeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("Kubedeck"));
    QApplication::setApplicationVersion(QStringLiteral(KUBEDECK_VERSION));

    MainWindow::StartOptions start;
    start.kubeconfigPath = p.value(kubeconfig);
    start.context = p.value(context);
    start.namespaceName = p.value(ns);
    start.sandbox = p.isSet(sandbox);
    MainWindow window(start);
    window.show();
    window.start();
    return QApplication::exec();
}

} // namespace kd::ui

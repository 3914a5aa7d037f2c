// Kubeconfig contexts in the main window, offscreen against a sandbox. An exec credential plugin
// shows the absolute command, arguments and environment (secrets masked) and asks; "Don't run"
// runs nothing and says why; "Run and remember" runs it and connects; a new window connects
// without asking again; a changed plugin is asked about again. A context with
// insecure-skip-tls-verify connects and is flagged insecure. Saves screenshots.
#include "modal.h"
#include "sandboxfixture.h"
#include "screenshots.h"
#include "ui/connection.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using kd::ui::Connection;
using kd::ui::MainWindow;

namespace {

constexpr int kTimeoutMs = 60'000;

// Answers the next exec question with the button whose text contains `answer`; records what
// the question showed.
struct Answerer : QObject {
    QString shown;
    bool asked = false;

    void answerNext(const QString &answer, const QString &screenshot = {}) {
        kd::testing::onNextModal(
            this,
            [this, answer, screenshot](QWidget *modal) {
                auto *box = static_cast<QMessageBox *>(modal);
                asked = true;
                shown = box->text() + u'\n' + box->informativeText();
                if (!screenshot.isEmpty())
                    kd::testing::saveScreenshot(box, screenshot);
                for (QAbstractButton *b : box->buttons())
                    if (b->text().contains(answer))
                        b->click();
            },
            [](QWidget *modal) {
                return qobject_cast<QMessageBox *>(modal) &&
                       modal->objectName() == QLatin1String("execApprovalBox");
            });
    }
};

} // namespace

class TestKubeconfigContexts : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<kd::testing::SandboxFixture> m_sandbox;
    QTemporaryDir m_dir;
    QString m_plugin; // a fresh absolute path, so no approval of an earlier run applies
    QString m_marker; // the plugin creates it when it runs
    QString m_kubeconfig;

    std::unique_ptr<MainWindow> openWindow(const QString &context = QStringLiteral("gpu-prod")) {
        MainWindow::StartOptions options;
        options.kubeconfigPath = m_kubeconfig;
        options.context = context;
        auto window = std::make_unique<MainWindow>(options);
        window->resize(1200, 800);
        window->show();
        window->start();
        return window;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) +
                      QStringLiteral("/exec-approvals.json"));
        m_sandbox =
            std::make_unique<kd::testing::SandboxFixture>(kd::testing::SandboxFixture::Options{});
        m_plugin = m_dir.filePath(QStringLiteral("bin/get-token"));
        QDir().mkpath(m_dir.filePath(QStringLiteral("bin")));
        QVERIFY(
            QFile::copy(QStringLiteral(KD_SOURCE_DIR "/tests/unit/kube/data/plugin.sh"), m_plugin));
        QFile::setPermissions(m_plugin, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        m_marker = m_dir.filePath(QStringLiteral("plugin-ran"));
        const auto &server = m_sandbox->server();
        const QByteArray ca =
            QByteArray::fromStdString(server.tlsMaterial()->ca.certPem).toBase64();
        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        QFile f(m_kubeconfig);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("apiVersion: v1\nkind: Config\ncurrent-context: gpu-prod\n"
                "clusters:\n- name: gpu\n  cluster:\n    server: " +
                QByteArray::fromStdString(server.url()) + "\n    certificate-authority-data: " +
                ca + "\n- name: gpu-insecure\n  cluster:\n    server: " +
                QByteArray::fromStdString(server.url()) +
                "\n    insecure-skip-tls-verify: true\n"
                "contexts:\n- name: gpu-prod\n  context: {cluster: gpu, user: sso}\n"
                "- name: lab-insecure\n  context: {cluster: gpu-insecure, user: admin}\n"
                "users:\n- name: admin\n  user: {token: " +
                QByteArray::fromStdString(server.credentials().adminToken) +
                "}\n- name: sso\n  user:\n    exec:\n"
                "      apiVersion: client.authentication.k8s.io/v1\n"
                "      command: " +
                m_plugin.toUtf8() +
                "\n      args: [--region, eu-west-1]\n      interactiveMode: Never\n"
                "      env:\n      - {name: PLUGIN_MARKER, value: " +
                m_marker.toUtf8() + "}\n      - {name: PLUGIN_TOKEN, value: " +
                QByteArray::fromStdString(server.credentials().adminToken) + "}\n");
        f.close();
    }
    void cleanupTestCase() { m_sandbox.reset(); }

    void refusalRunsNothing() {
        Answerer answerer;
        answerer.answerNext(QStringLiteral("Don't run"), QStringLiteral("exec-approval"));
        auto window = openWindow();
        Connection *c = window->connection();
        QTRY_VERIFY_WITH_TIMEOUT(answerer.asked, kTimeoutMs);
        // The whole command line is shown, the token is not.
        QVERIFY2(answerer.shown.contains(m_plugin), qPrintable(answerer.shown));
        QVERIFY(answerer.shown.contains(QLatin1String("eu-west-1")));
        QVERIFY(answerer.shown.contains(QLatin1String("PLUGIN_MARKER=") + m_marker));
        QVERIFY(answerer.shown.contains(QLatin1String("PLUGIN_TOKEN=")));
        QVERIFY(!answerer.shown.contains(
            QString::fromStdString(m_sandbox->server().credentials().adminToken)));
        QCOMPARE(c->state(), Connection::State::Failed);
        QTest::qWait(300);
        QVERIFY2(!QFile::exists(m_marker), "a refused plugin must not run");
        auto *banner = window->findChild<QLabel *>(QStringLiteral("banner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(banner->text().contains(QLatin1String("not approved")),
                 qPrintable(banner->text()));
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-exec-refused")));
    }

    void approvalRunsAndIsRemembered() {
        {
            Answerer answerer;
            answerer.answerNext(QStringLiteral("Run and remember"));
            auto window = openWindow();
            QTRY_VERIFY_WITH_TIMEOUT(answerer.asked, kTimeoutMs);
            QTRY_COMPARE_WITH_TIMEOUT(window->connection()->state(), Connection::State::Connected,
                                      kTimeoutMs);
            QVERIFY(QFile::exists(m_marker));
            QVERIFY(window->connection()->store()->count(QStringLiteral("pods")) > 0);
        }
        QFile::remove(m_marker);
        // Remembered: a new window connects without asking.
        Answerer answerer;
        answerer.answerNext(QStringLiteral("Don't run"));
        auto window = openWindow();
        QTRY_COMPARE_WITH_TIMEOUT(window->connection()->state(), Connection::State::Connected,
                                  kTimeoutMs);
        QVERIFY(!answerer.asked);
        QVERIFY(QFile::exists(m_marker));
    }

    void insecureContextIsFlagged() {
        auto window = openWindow(QStringLiteral("lab-insecure"));
        QTRY_COMPARE_WITH_TIMEOUT(window->connection()->state(), Connection::State::Connected,
                                  kTimeoutMs);
        QVERIFY(window->connection()->insecure());
        auto *state = window->findChild<QLabel *>(QStringLiteral("stateLabel"));
        QVERIFY(state);
        QVERIFY2(state->text().contains(QLatin1String("TLS verification off")),
                 qPrintable(state->text()));
        auto *contexts = window->findChild<QComboBox *>(QStringLiteral("contextBox"));
        QVERIFY(contexts);
        const int index = contexts->findData(QStringLiteral("kubeconfig:lab-insecure"));
        QVERIFY(index >= 0);
        QVERIFY2(contexts->itemText(index).contains(QLatin1String("insecure")),
                 qPrintable(contexts->itemText(index)));
        QVERIFY(!contexts->itemText(contexts->findData(QStringLiteral("kubeconfig:gpu-prod")))
                     .contains(QLatin1String("insecure")));
        QVERIFY(kd::testing::saveScreenshot(window.get(), QStringLiteral("main-insecure")));
    }

    // A changed plugin (same path, new content) is a new program: asked again.
    void changedPluginIsAskedAgain() {
        QFile f(m_plugin);
        QVERIFY(f.open(QIODevice::Append));
        f.write("# changed\n");
        f.close();
        QFile::remove(m_marker);
        Answerer answerer;
        answerer.answerNext(QStringLiteral("Don't run"));
        auto window = openWindow();
        QTRY_VERIFY_WITH_TIMEOUT(answerer.asked, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(window->connection()->state(), Connection::State::Failed,
                                  kTimeoutMs);
        QVERIFY(!QFile::exists(m_marker));
    }
};

QTEST_MAIN(TestKubeconfigContexts)
#include "tst_kubeconfigcontexts.moc"

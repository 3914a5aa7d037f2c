// Secrets never reach messages or logs (behaviour reference §6): patterns, registered secrets and
// the message handler.
#include "kube/redact.h"

#include <QTest>

using namespace kd::kube;

class TstRedact final : public QObject {
    Q_OBJECT

private slots:
    void redactPatterns_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bearer header") << QStringLiteral("Authorization: Bearer abc.def-ghi")
                                       << QStringLiteral("Authorization: Bearer [redacted]");
        QTest::newRow("basic") << QStringLiteral("sent Basic Ym9iOnB3 to server")
                               << QStringLiteral("sent Basic [redacted] to server");
        QTest::newRow("yaml token") << QStringLiteral("token: abcdef\nserver: x")
                                    << QStringLiteral("token: [redacted]\nserver: x");
        QTest::newRow("json token") << QStringLiteral("{\"token\":\"abc\",\"kind\":\"x\"}")
                                    << QStringLiteral("{\"token\":[redacted],\"kind\":\"x\"}");
        QTest::newRow("pem key")
            << QStringLiteral(
                   "a -----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY----- b")
            << QStringLiteral("a [redacted] b");
        QTest::newRow("registered secret") << QStringLiteral("value registered-s3cr3t-42 here")
                                           << QStringLiteral("value [redacted] here");
        QTest::newRow("plain text") << QStringLiteral("nothing to hide in tokenFile \"/x\"")
                                    << QStringLiteral("nothing to hide in tokenFile \"/x\"");
    }
    void redactPatterns() {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        Redactor::instance().addSecret("registered-s3cr3t-42");
        Redactor::instance().addSecret("ab"); // too short to register
        QCOMPARE(redact(input), expected);
    }

    void messageHandlerRedacts() {
        static QStringList captured;
        captured.clear();
        auto previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &m) { captured.append(m); });
        installRedactingMessageHandler();
        Redactor::instance().addSecret("logged-s3cr3t-value");
        qWarning("request failed with logged-s3cr3t-value");
        qDebug("Authorization: Bearer xyz123");
        qInstallMessageHandler(previous);
        QCOMPARE(captured, (QStringList{QStringLiteral("request failed with [redacted]"),
                                        QStringLiteral("Authorization: Bearer [redacted]")}));
    }
};

QTEST_GUILESS_MAIN(TstRedact)
#include "tst_redact.moc"

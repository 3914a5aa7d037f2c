// .kubedeck-lint.yaml: what a valid file sets, and every mistake reported with file:line:col and,
// for misspelt names, a "did you mean".

#include "manifest/lintconfig.h"

#include <QTest>

using namespace kd::manifest;

namespace {

QString qs(const std::string &s) {
    return QString::fromStdString(s);
}

} // namespace

class TestLintConfig : public QObject {
    Q_OBJECT

private slots:
    void fullConfig();
    void emptyFileChangesNothing();
    void offDisables();
    void errors_data();
    void errors();
    void everyErrorIsReported();
};

void TestLintConfig::fullConfig() {
    const auto result = parseLintConfig(R"(# team defaults
disable: [replicas-too-few, namespace-default]
severity:
  image-latest-tag: error
  probes-missing: info
  gpu-toleration-missing: warning
kubernetesVersion: "1.29"
capacity:
  nvidia.com/gpu: 8
  nvidia.com/mig-1g.5gb: "14"
  cpu: 500m
)",
                                        ".kubedeck-lint.yaml");
    QVERIFY2(result.config, result.error.c_str());
    QCOMPARE(result.error, std::string());
    const LintConfig &c = *result.config;
    QCOMPARE(c.disabled,
             (std::set<std::string, std::less<>>{"namespace-default", "replicas-too-few"}));
    QCOMPARE(c.severity.size(), std::size_t(3));
    QCOMPARE(c.severity.at("image-latest-tag"), Severity::Error);
    QCOMPARE(c.severity.at("probes-missing"), Severity::Info);
    QCOMPARE(c.severity.at("gpu-toleration-missing"), Severity::Warning);
    QCOMPARE(c.kubernetesVersion, std::string("1.29"));
    QCOMPARE(c.capacity.at("nvidia.com/gpu"), std::string("8"));
    QCOMPARE(c.capacity.at("nvidia.com/mig-1g.5gb"), std::string("14"));
    QCOMPARE(c.capacity.at("cpu"), std::string("500m"));
}

void TestLintConfig::emptyFileChangesNothing() {
    for (const char *text : {"", "# nothing yet\n", "---\n"}) {
        const auto result = parseLintConfig(text, "cfg");
        QVERIFY2(result.config, result.error.c_str());
        QVERIFY(result.config->disabled.empty());
        QVERIFY(result.config->severity.empty());
        QVERIFY(result.config->capacity.empty());
    }
}

void TestLintConfig::offDisables() {
    // Unquoted, YAML 1.1 reads `off` as false; quoted it is the word.
    for (const char *text :
         {"severity:\n  pdb-missing: off\n", "severity:\n  pdb-missing: \"off\"\n"}) {
        const auto result = parseLintConfig(text, "cfg");
        QVERIFY2(result.config, result.error.c_str());
        QVERIFY(result.config->disabled.count("pdb-missing"));
        QVERIFY(result.config->severity.empty());
    }
}

void TestLintConfig::errors_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown key") << QByteArray("disabled: [pdb-missing]\n")
                                 << QStringLiteral("cfg:1:1: unknown key `disabled`; did you mean "
                                                   "`disable`?");
    QTest::newRow("unknown rule in disable")
        << QByteArray("disable:\n  - pdb-missing\n  - image-latest\n")
        << QStringLiteral("cfg:3:5: unknown rule `image-latest`; did you mean `image-latest-tag`?");
    QTest::newRow("unknown rule, nothing close")
        << QByteArray("disable: [everything]\n")
        << QStringLiteral("cfg:1:11: unknown rule `everything`");
    QTest::newRow("unknown rule in severity")
        << QByteArray("severity:\n  probe-missing: info\n")
        << QStringLiteral("cfg:2:3: unknown rule `probe-missing`; did you mean `probes-missing`?");
    QTest::newRow("bad severity")
        << QByteArray("severity:\n  probes-missing: warn\n")
        << QStringLiteral("cfg:2:19: severity of `probes-missing` must be error, warning, info or "
                          "off, not `warn`; did you mean `warning`?");
    QTest::newRow("disable not a list")
        << QByteArray("disable: pdb-missing\n")
        << QStringLiteral("cfg:1:10: `disable` must be a list of rule IDs");
    QTest::newRow("version as a number")
        << QByteArray("kubernetesVersion: 1.30\n")
        << QStringLiteral("cfg:1:20: `kubernetesVersion` must be a quoted string such as \"1.30\" "
                          "(unquoted, 1.3 is read as a number)");
    QTest::newRow("version malformed") << QByteArray("kubernetesVersion: \"v1.30.2\"\n")
                                       << QStringLiteral("cfg:1:20: `kubernetesVersion` must look "
                                                         "like \"1.30\", not \"v1.30.2\"");
    QTest::newRow("capacity not a quantity")
        << QByteArray("capacity:\n  nvidia.com/gpu: eight\n")
        << QStringLiteral("cfg:2:19: capacity of `nvidia.com/gpu` must be a non-negative quantity "
                          "(8, \"500m\", \"64Gi\"), not \"eight\"");
    QTest::newRow("negative capacity")
        << QByteArray("capacity:\n  nvidia.com/gpu: -2\n")
        << QStringLiteral("cfg:2:19: capacity of `nvidia.com/gpu` must be a non-negative quantity "
                          "(8, \"500m\", \"64Gi\"), not -2");
    QTest::newRow("not a mapping") << QByteArray("- disable\n")
                                   << QStringLiteral("cfg:1:1: a lint config is a mapping with "
                                                     "disable, severity, kubernetesVersion and "
                                                     "capacity");
    QTest::newRow("two documents") << QByteArray("disable: []\n---\nseverity: {}\n")
                                   << QStringLiteral("cfg:3:1: a lint config is one YAML document");
}

void TestLintConfig::errors() {
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const auto result = parseLintConfig(text.toStdString(), "cfg");
    QVERIFY(!result.config);
    QCOMPARE(qs(result.error), error);
}

void TestLintConfig::everyErrorIsReported() {
    const auto result = parseLintConfig("disable: [pdb-mising]\nseverty:\n  x: error\n"
                                        "capacity:\n  nvidia.com/gpu: lots\n",
                                        "repo/.kubedeck-lint.yaml");
    QVERIFY(!result.config);
    const QStringList lines = qs(result.error).split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(QStringLiteral("repo/.kubedeck-lint.yaml:1:")));
    QVERIFY(lines[0].contains(QStringLiteral("did you mean `pdb-missing`?")));
    QVERIFY(lines[1].contains(QStringLiteral("did you mean `severity`?")));
    QVERIFY(lines[2].startsWith(QStringLiteral("repo/.kubedeck-lint.yaml:5:19:")));

    // A YAML syntax error is reported where it is, and nothing else is guessed.
    const auto syntax = parseLintConfig("disable: [a, b\nseverity:\n", "cfg");
    QVERIFY(!syntax.config);
    QVERIFY2(syntax.error.starts_with("cfg:"), syntax.error.c_str());
    QVERIFY(syntax.error.find(':', 4) != std::string::npos);
}

QTEST_GUILESS_MAIN(TestLintConfig)
#include "tst_lintconfig.moc"

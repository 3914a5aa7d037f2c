// The name and syntax rules (manifest/names.h) and how bad values are quoted in messages.

#include "manifest/names.h"
#include "tst_validation_support.h"

#include <QTest>

using namespace kd::manifest;
using kdtest::Json;
using namespace Qt::StringLiterals;

namespace {

QStringList toList(const std::vector<std::string> &msgs) {
    QStringList out;
    for (const std::string &m : msgs)
        out << QString::fromStdString(m);
    return out;
}

QStringList check(const QString &rule, const QString &input) {
    const std::string v = input.toStdString();
    if (rule == QLatin1String("label"))
        return toList(isDNS1123Label(v));
    if (rule == QLatin1String("subdomain"))
        return toList(isDNS1123Subdomain(v));
    if (rule == QLatin1String("dns1035"))
        return toList(isDNS1035Label(v));
    if (rule == QLatin1String("wildcard"))
        return toList(isWildcardDNS1123Subdomain(v));
    if (rule == QLatin1String("key"))
        return toList(isQualifiedName(v));
    if (rule == QLatin1String("value"))
        return toList(isValidLabelValue(v));
    if (rule == QLatin1String("portname"))
        return toList(isValidPortName(v));
    if (rule == QLatin1String("percent"))
        return toList(isValidPercent(v));
    if (rule == QLatin1String("cmkey"))
        return toList(isConfigMapKey(v));
    if (rule == QLatin1String("env"))
        return toList(isRelaxedEnvVarName(v));
    if (rule == QLatin1String("header"))
        return toList(isHTTPHeaderName(v));
    if (rule == QLatin1String("segment"))
        return toList(isValidPathSegmentName(v));
    if (rule == QLatin1String("prefix-subdomain"))
        return toList(validateName(NameRule::DNS1123Subdomain, v, true));
    if (rule == QLatin1String("prefix-label"))
        return toList(validateName(NameRule::DNS1123Label, v, true));
    if (rule == QLatin1String("prefix-segment"))
        return toList(validateName(NameRule::PathSegment, v, true));
    qFatal("unknown rule");
}

} // namespace

class TestValidationNames final : public QObject {
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void portNumbers();
    void quoting_data();
    void quoting();
};

void TestValidationNames::rules_data() {
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("expected");

    const QString a63(63, QLatin1Char('a'));
    const QString a64(64, QLatin1Char('a'));
    const QString a253(253, QLatin1Char('a'));
    const QString a254(254, QLatin1Char('a'));

    QTest::newRow("label ok") << "label"
                              << "my-name" << QStringList{};
    QTest::newRow("label digits first") << "label"
                                        << "123-abc" << QStringList{};
    QTest::newRow("label 63") << "label" << a63 << QStringList{};
    QTest::newRow("label 64") << "label" << a64
                              << QStringList{u"must be no more than 63 characters"_s};
    QTest::newRow("label upper") << "label"
                                 << "Web" << QStringList{kdtest::kLabelMsg};
    QTest::newRow("label empty") << "label"
                                 << "" << QStringList{kdtest::kLabelMsg};
    QTest::newRow("label dots") << "label"
                                << "web.api" << QStringList{u"must not contain dots"_s};
    QTest::newRow("label trailing dash") << "label"
                                         << "web-" << QStringList{kdtest::kLabelMsg};
    QTest::newRow("subdomain ok") << "subdomain"
                                  << "web.example.com" << QStringList{};
    QTest::newRow("subdomain 253") << "subdomain" << a253 << QStringList{};
    QTest::newRow("subdomain 254")
        << "subdomain" << a254 << QStringList{u"must be no more than 253 characters"_s};
    QTest::newRow("subdomain underscore") << "subdomain"
                                          << "Web_1" << QStringList{kdtest::kSubdomainMsg};
    QTest::newRow("subdomain double dot") << "subdomain"
                                          << "a..b" << QStringList{kdtest::kSubdomainMsg};
    QTest::newRow("dns1035 ok") << "dns1035"
                                << "web-api" << QStringList{};
    QTest::newRow("dns1035 digit first") << "dns1035"
                                         << "1web" << QStringList{kdtest::kDns1035Msg};
    QTest::newRow("dns1035 64") << "dns1035" << a64
                                << QStringList{u"must be no more than 63 characters"_s};
    QTest::newRow("wildcard ok") << "wildcard"
                                 << "*.example.com" << QStringList{};
    QTest::newRow("wildcard inner")
        << "wildcard"
        << "foo.*.com"
        << QStringList{
               u"a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
               u"subdomain, which "
               "must consist of lower case alphanumeric characters, '-' or '.' and end with an "
               "alphanumeric "
               "character (e.g. '*.example.com', regex used for validation is "
               "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"_s};
    QTest::newRow("key ok") << "key"
                            << "app.kubernetes.io/name" << QStringList{};
    QTest::newRow("key upper ok") << "key"
                                  << "example.com/MyName" << QStringList{};
    QTest::newRow("key bad name") << "key"
                                  << "-app" << QStringList{kdtest::kKeyNameMsg};
    QTest::newRow("key long name")
        << "key" << a64 << QStringList{u"name part must be no more than 63 bytes"_s};
    QTest::newRow("key empty prefix") << "key"
                                      << "/app" << QStringList{u"prefix part must be non-empty"_s};
    QTest::newRow("key empty name")
        << "key"
        << "example.com/" << QStringList{u"name part must be non-empty"_s, kdtest::kKeyNameMsg};
    QTest::newRow("key bad prefix")
        << "key"
        << "Example.com/app" << QStringList{u"prefix part "_s + kdtest::kSubdomainMsg};
    QTest::newRow("key two slashes")
        << "key"
        << "a/b/c"
        << QStringList{u"a valid label key must consist of alphanumeric characters, '-', '_' or "
                       u"'.', and must start "
                       "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
                       "'123-abc', regex "
                       "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an "
                       "optional DNS "
                       "subdomain prefix and '/' (e.g. 'example.com/MyName')"_s};
    QTest::newRow("value empty ok") << "value"
                                    << "" << QStringList{};
    QTest::newRow("value ok") << "value"
                              << "My_value.1" << QStringList{};
    QTest::newRow("value space") << "value"
                                 << "a b" << QStringList{kdtest::kLabelValueMsg};
    QTest::newRow("value 64") << "value" << a64 << QStringList{u"must be no more than 63 bytes"_s};
    QTest::newRow("port name ok") << "portname"
                                  << "http-alt" << QStringList{};
    QTest::newRow("port name 16") << "portname"
                                  << "abcdefghijklmnop"
                                  << QStringList{u"must be no more than 15 characters"_s};
    QTest::newRow("port name upper")
        << "portname"
        << "HTTP"
        << QStringList{u"must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"_s,
                       u"must contain at least one letter (a-z)"_s};
    QTest::newRow("port name digits")
        << "portname"
        << "8080" << QStringList{u"must contain at least one letter (a-z)"_s};
    QTest::newRow("port name hyphens") << "portname"
                                       << "-web--ui"
                                       << QStringList{u"must not contain consecutive hyphens"_s,
                                                      u"must not begin or end with a hyphen"_s};
    QTest::newRow("percent ok") << "percent"
                                << "25%" << QStringList{};
    QTest::newRow("percent bare") << "percent"
                                  << "25" << QStringList{kdtest::kPercentMsg};
    QTest::newRow("percent sign only") << "percent"
                                       << "%" << QStringList{kdtest::kPercentMsg};
    QTest::newRow("cm key ok") << "cmkey"
                               << "app.conf" << QStringList{};
    QTest::newRow("cm key space") << "cmkey"
                                  << "app conf" << QStringList{kdtest::kConfigKeyMsg};
    QTest::newRow("cm key dotdot") << "cmkey"
                                   << "..data" << QStringList{u"must not start with '..'"_s};
    QTest::newRow("cm key dot") << "cmkey"
                                << "." << QStringList{u"must not be '.'"_s};
    QTest::newRow("env digit first ok") << "env"
                                        << "1_VAR" << QStringList{};
    QTest::newRow("env equals") << "env"
                                << "A=B"
                                << QStringList{u"a valid environment variable name must consist "
                                               u"only of printable ASCII characters other "
                                               "than '='"_s};
    QTest::newRow("env empty") << "env"
                               << ""
                               << QStringList{u"environment variable name must be non-empty"_s};
    QTest::newRow("header ok") << "header"
                               << "X-Custom-Header" << QStringList{};
    QTest::newRow("header underscore")
        << "header"
        << "X_Custom"
        << QStringList{u"a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                       u"'X-Header-Name', "
                       "regex used for validation is '[-A-Za-z0-9]+')"_s};
    QTest::newRow("segment ok") << "segment"
                                << "Web_1" << QStringList{};
    QTest::newRow("segment dotdot") << "segment"
                                    << ".." << QStringList{u"may not be '..'"_s};
    QTest::newRow("segment slash percent")
        << "segment"
        << "a/b%" << QStringList{u"may not contain '/'"_s, u"may not contain '%'"_s};
    QTest::newRow("prefix trailing dash ok") << "prefix-subdomain"
                                             << "web-" << QStringList{};
    QTest::newRow("prefix single dash") << "prefix-label"
                                        << "-" << QStringList{kdtest::kLabelMsg};
    QTest::newRow("prefix upper") << "prefix-subdomain"
                                  << "Web-" << QStringList{kdtest::kSubdomainMsg};
    QTest::newRow("prefix segment dots ok") << "prefix-segment"
                                            << ".." << QStringList{};
}

void TestValidationNames::rules() {
    QFETCH(QString, rule);
    QFETCH(QString, input);
    QFETCH(QStringList, expected);
    QCOMPARE(check(rule, input), expected);
}

void TestValidationNames::portNumbers() {
    QVERIFY(isValidPortNum(1).empty());
    QVERIFY(isValidPortNum(65535).empty());
    QCOMPARE(toList(isValidPortNum(0)), QStringList{kdtest::kPortRangeMsg});
    QCOMPARE(toList(isValidPortNum(65536)), QStringList{kdtest::kPortRangeMsg});
    QCOMPARE(QString::fromStdString(inclusiveRangeError(-3, 7)),
             QStringLiteral("must be between -3 and 7, inclusive"));
}

void TestValidationNames::quoting_data() {
    // How ErrorBody prints a bad name (%q, i.e. strconv.Quote).
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QString>("shown");

    QTest::newRow("plain") << QByteArray("Web") << "\"Web\"";
    QTest::newRow("quote and backslash") << QByteArray("a\"b\\c") << "\"a\\\"b\\\\c\"";
    QTest::newRow("tab and newline") << QByteArray("a\tb\nc") << "\"a\\tb\\nc\"";
    QTest::newRow("control") << QByteArray("a\x01"
                                           "b")
                             << "\"a\\x01b\"";
    QTest::newRow("non-ascii kept") << QByteArray("caf\xc3\xa9") << QStringLiteral("\"caf\u00e9\"");
    QTest::newRow("nbsp escaped") << QByteArray("a\xc2\xa0"
                                                "b")
                                  << "\"a\\u00a0b\"";
    QTest::newRow("invalid utf8") << QByteArray("a\xff") << "\"a\\xff\"";
}

void TestValidationNames::quoting() {
    QFETCH(QByteArray, name);
    QFETCH(QString, shown);
    Json pod = kdtest::fixture(QStringLiteral("Pod"));
    pod["metadata"]["name"] = name.toStdString();
    const auto causes = validateObject(pod);
    QCOMPARE(causes.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(causes[0].message),
             QStringLiteral("Invalid value: %1: %2").arg(shown, kdtest::kSubdomainMsg));
}

QTEST_APPLESS_MAIN(TestValidationNames)
#include "tst_validationnames.moc"

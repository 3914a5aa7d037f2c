// Kubernetes quantities in milli-units: suffixes, exponents, fractions, signs, overflow.
#include "semantics/quantity.h"

#include <nlohmann/json.hpp>

#include <QTest>

using namespace kd::semantics;

class TstQuantity final : public QObject {
    Q_OBJECT

private slots:
    void parse_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("milli");
        auto ok = [](const char *t, qint64 m) {
            QTest::newRow(t) << QString::fromLatin1(t) << true << m;
        };
        auto bad = [](const char *row, const char *t) {
            QTest::newRow(row) << QString::fromLatin1(t) << false << qint64(0);
        };
        ok("500m", 500);
        ok("2", 2000);
        ok("0", 0);
        ok("1Gi", 1073741824000LL);
        ok("0.5Gi", 536870912000LL);
        ok("1Ki", 1024000);
        ok("100Mi", 104857600000LL);
        ok("1Ti", 1099511627776000LL);
        ok("1k", 1000000);
        ok("1M", 1000000000LL);
        ok("2G", 2000000000000LL);
        ok("1T", 1000000000000000LL);
        ok("1P", 1000000000000000000LL);
        ok("1e3", 1000000);
        ok("1E3", 1000000);
        ok("1e-3", 1);
        ok("1.5", 1500);
        ok("0.1", 100);
        ok(".5", 500);
        ok("5.", 5000);
        ok("+2k", 2000000);
        ok("-1", -1000);
        ok("-500m", -500);
        ok("1n", 1); // below a milli-unit rounds away from zero, like MilliValue()
        ok("1u", 1);
        ok("1500u", 2);
        ok("3.14159", 3142);
        ok("0.0001", 1);
        ok("7Pi", 7LL * 1125899906842624LL * 1000);
        bad("empty", "");
        bad("letters", "abc");
        bad("capital K", "1K");
        bad("two dots", "1.2.3");
        bad("dot only", ".");
        bad("sign only", "-");
        bad("space", " 1");
        bad("trailing space", "1 ");
        bad("bad suffix", "1Gb");
        bad("exa overflows", "1E");
        bad("Ei overflows", "1Ei");
        bad("8Ei", "8Ei");
        bad("huge", "100000000000000000000");
        bad("exponent too long", "1e99999");
        bad("exponent without digits", "1e");
    }
    void parse() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, milli);
        const auto got = parseMilli(text.toStdString());
        QCOMPARE(got.has_value(), valid);
        if (valid)
            QCOMPARE(static_cast<qint64>(*got), milli);
    }

    void parseJson() {
        QCOMPARE(parseMilli(nlohmann::json(2)).value(), 2000);
        QCOMPARE(parseMilli(nlohmann::json(-3)).value(), -3000);
        QCOMPARE(parseMilli(nlohmann::json(0.1)).value(), 100);
        QCOMPARE(parseMilli(nlohmann::json(1.5)).value(), 1500);
        QCOMPARE(parseMilli(nlohmann::json("250m")).value(), 250);
        QVERIFY(!parseMilli(nlohmann::json(1e20)).has_value());
        QVERIFY(!parseMilli(nlohmann::json(nullptr)).has_value());
        QVERIFY(!parseMilli(nlohmann::json::array()).has_value());
        QVERIFY(!parseMilli(nlohmann::json(std::uint64_t{18446744073709551615ULL})).has_value());
    }

    void format() {
        QCOMPARE(QString::fromStdString(formatMilli(500)), QStringLiteral("500m"));
        QCOMPARE(QString::fromStdString(formatMilli(2000)), QStringLiteral("2"));
        QCOMPARE(QString::fromStdString(formatMilli(1500)), QStringLiteral("1500m"));
        QCOMPARE(QString::fromStdString(formatMilli(0)), QStringLiteral("0"));
        QCOMPARE(QString::fromStdString(formatMilli(-2000)), QStringLiteral("-2"));
        QCOMPARE(QString::fromStdString(formatMilli(1073741824000LL)),
                 QStringLiteral("1073741824"));
        // What formatMilli writes, parseMilli reads back.
        for (std::int64_t v : {0LL, 1LL, 999LL, 1000LL, 123456789LL, -750LL})
            QCOMPARE(parseMilli(formatMilli(v)).value(), v);
    }

    void whole() {
        QVERIFY(isWholeMilli(2000));
        QVERIFY(isWholeMilli(0));
        QVERIFY(!isWholeMilli(1500));
        QVERIFY(!isWholeMilli(1));
        QVERIFY(isWholeMilli(parseMilli("2").value()));
        QVERIFY(!isWholeMilli(parseMilli("0.5").value()));
    }
};

QTEST_APPLESS_MAIN(TstQuantity)
#include "tst_quantity.moc"

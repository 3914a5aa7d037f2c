// Applying quick-fix edits to a text and converting byte columns to UTF-16 columns and back.
#include "manifest/textedits.h"

#include <QTest>

using kd::manifest::applyTextEdits;
using kd::manifest::byteColumn;
using kd::manifest::byteOffset;
using kd::manifest::Position;
using kd::manifest::TextEdit;
using kd::manifest::utf16Column;

namespace {

TextEdit edit(int line, int col, int endLine, int endCol, std::string text) {
    return TextEdit{Position{line, col}, Position{endLine, endCol}, std::move(text)};
}

QString q(const std::optional<std::string> &s) {
    return s ? QString::fromStdString(*s) : QStringLiteral("<nullopt>");
}

} // namespace

class TestTextEdits : public QObject {
    Q_OBJECT

private slots:
    void offsets() {
        const std::string_view text = "ab\r\ncde\n";
        QCOMPARE(byteOffset(text, {1, 1}), std::optional<std::size_t>(0));
        QCOMPARE(byteOffset(text, {1, 3}), std::optional<std::size_t>(2));
        // Past the end of a CRLF line: before the \r.
        QCOMPARE(byteOffset(text, {1, 40}), std::optional<std::size_t>(2));
        QCOMPARE(byteOffset(text, {2, 2}), std::optional<std::size_t>(5));
        // The empty line after the final newline exists; the one after it does not.
        QCOMPARE(byteOffset(text, {3, 1}), std::optional<std::size_t>(8));
        QCOMPARE(byteOffset(text, {4, 1}), std::optional<std::size_t>());
        QCOMPARE(byteOffset(text, {0, 1}), std::optional<std::size_t>());
    }

    void applyInsertReplaceDelete() {
        const std::string text = "spec:\n  limits:\n    nvidia.com/gpu: 1\n";
        // The gpu-requests-limits fix inserts a line; edits come in any order.
        std::vector<TextEdit> edits{
            edit(3, 1, 3, 1, "    x: 2\n"),
            edit(1, 1, 1, 5, "SPEC"),
            edit(2, 3, 2, 9, ""),
        };
        QCOMPARE(q(applyTextEdits(text, edits)),
                 QStringLiteral("SPEC:\n  :\n    x: 2\n    nvidia.com/gpu: 1\n"));
        // Two inserts at one place keep their order.
        QCOMPARE(q(applyTextEdits("ab", {edit(1, 2, 1, 2, "1"), edit(1, 2, 1, 2, "2")})),
                 QStringLiteral("a12b"));
        // Appending at the end of the text.
        QCOMPARE(q(applyTextEdits("a\n", {edit(2, 1, 2, 1, "b\n")})), QStringLiteral("a\nb\n"));
        // No edits: the text as it was.
        QCOMPARE(q(applyTextEdits("same", {})), QStringLiteral("same"));
    }

    void rejectsBadEdits_data() {
        QTest::addColumn<int>("startLine");
        QTest::addColumn<int>("startCol");
        QTest::addColumn<int>("endLine");
        QTest::addColumn<int>("endCol");
        QTest::addColumn<QString>("error");
        QTest::newRow("line after the end") << 9 << 1 << 9 << 1 << QStringLiteral("outside");
        QTest::newRow("end before start") << 2 << 2 << 1 << 1 << QStringLiteral("ends before");
        QTest::newRow("overlaps the first edit") << 1 << 2 << 1 << 4 << QStringLiteral("overlap");
    }

    void rejectsBadEdits() {
        QFETCH(int, startLine);
        QFETCH(int, startCol);
        QFETCH(int, endLine);
        QFETCH(int, endCol);
        QFETCH(QString, error);
        std::string why;
        auto result = applyTextEdits(
            "abcd\nefgh\n",
            {edit(1, 1, 1, 3, "X"), edit(startLine, startCol, endLine, endCol, "Y")}, &why);
        QVERIFY(!result);
        QVERIFY2(QString::fromStdString(why).contains(error), why.c_str());
    }

    void columns_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<int>("byteCol");
        QTest::addColumn<int>("utf16Col");
        // "é" is 2 bytes and 1 UTF-16 unit; "€" 3 bytes, 1 unit; "🚀" 4 bytes, 2 units.
        QTest::newRow("ascii") << QStringLiteral("name: web") << 7 << 7;
        QTest::newRow("after é") << QStringLiteral("é: x") << 3 << 2;
        QTest::newRow("after €") << QStringLiteral("€x") << 4 << 2;
        QTest::newRow("after rocket") << QStringLiteral("🚀 go") << 5 << 3;
        QTest::newRow("end of line") << QStringLiteral("aé") << 4 << 3;
        QTest::newRow("past the end") << QStringLiteral("aé") << 6 << 5;
    }

    void columns() {
        QFETCH(QString, line);
        QFETCH(int, byteCol);
        QFETCH(int, utf16Col);
        const QByteArray utf8 = line.toUtf8();
        const std::string_view view(utf8.constData(), static_cast<std::size_t>(utf8.size()));
        QCOMPARE(utf16Column(view, byteCol), utf16Col);
        QCOMPARE(byteColumn(view, utf16Col), byteCol);
        // What Qt counts agrees: the UTF-16 prefix is the byte prefix decoded.
        if (byteCol <= utf8.size() + 1)
            QCOMPARE(QString::fromUtf8(utf8.left(byteCol - 1)).size(), utf16Col - 1);
    }

    void columnInsideACharacter() {
        // Byte column 3 points into the middle of "€" (bytes 2..4): it maps to the "€".
        QCOMPARE(utf16Column("a€b", 3), 2);
        // UTF-16 column 2 of "🚀x" is between the surrogates: it maps to the rocket's start.
        QCOMPARE(byteColumn("🚀x", 2), 1);
        // An invalid byte counts as one character.
        QCOMPARE(utf16Column("a\xff"
                             "b",
                             3),
                 3);
    }
};

QTEST_APPLESS_MAIN(TestTextEdits)
#include "tst_textedits.moc"

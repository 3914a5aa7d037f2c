// The libyaml event reader against the yaml-cpp node reader it replaced: the same JSON, the same
// key and value positions, the same diagnostics, over the built-in scenarios, a generated corpus of
// manifests written in many styles, and a table of YAML that parsers tend to get wrong.
#include "manifest/yamljson.h"
#include "yamlcppreference.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <random>
#include <set>
#include <sstream>

using kd::manifest::parseYaml;
using kd::manifest::Position;
using kd::manifest::YamlDiagnostic;
using nlohmann::json;

namespace {

std::string describe(Position p) {
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

// Paths whose value is null. An empty value has no text of its own: yaml-cpp put it at the next
// token, libyaml just after the ':' or '-', so those positions are not compared; the key position
// of an empty sequence item is its value's.
void collectNulls(const json &value, const std::string &path, bool item,
                  std::set<std::string> &nulls, std::set<std::string> &nullItems) {
    if (value.is_null()) {
        nulls.insert(path);
        if (item)
            nullItems.insert(path);
    }
    if (value.is_object())
        for (const auto &[key, child] : value.items())
            collectNulls(child, kd::manifest::appendKey(path, key), false, nulls, nullItems);
    if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
            collectNulls(value[i], kd::manifest::appendIndex(path, i), true, nulls, nullItems);
}

std::string comparePositions(const char *what, const kd::manifest::FieldPositions &actual,
                             const std::map<std::string, Position> &expected,
                             const std::set<std::string> &skip) {
    if (actual.size() != expected.size())
        return std::string(what) + ": " + std::to_string(actual.size()) + " paths, expected " +
               std::to_string(expected.size());
    for (const auto &[path, position] : expected) {
        auto it = actual.find(path);
        if (it == actual.end())
            return std::string(what) + ": no \"" + path + "\"";
        if (skip.count(path) == 0 &&
            (it->second.line != position.line || it->second.column != position.column))
            return std::string(what) + " of \"" + path + "\": " + describe(it->second) +
                   ", expected " + describe(position);
    }
    return {};
}

// The first difference between the two readers, or "".
std::string difference(std::string_view yaml) {
    const auto actual = parseYaml(yaml);
    const auto expected = kd::testing::parseWithYamlCpp(yaml);
    if (actual.diagnostics.size() != expected.diagnostics.size()) {
        std::string out = std::to_string(actual.diagnostics.size()) + " diagnostics, expected " +
                          std::to_string(expected.diagnostics.size()) + ":";
        for (const auto &d : actual.diagnostics)
            out += "\n  got " + describe(d.position) + " " + d.message;
        for (const auto &d : expected.diagnostics)
            out += "\n  expected " + describe(d.position) + " " + d.message;
        return out;
    }
    for (std::size_t i = 0; i < actual.diagnostics.size(); ++i) {
        const YamlDiagnostic &a = actual.diagnostics[i], &e = expected.diagnostics[i];
        if (a.kind != e.kind)
            return "diagnostic " + std::to_string(i) + " is \"" + a.message + "\", expected \"" +
                   e.message + "\"";
        // Syntax errors are worded and placed by each parser its own way.
        if (a.kind != YamlDiagnostic::Kind::Syntax &&
            (a.message != e.message || a.position.line != e.position.line ||
             a.position.column != e.position.column))
            return "diagnostic " + describe(a.position) + " " + a.message + ", expected " +
                   describe(e.position) + " " + e.message;
    }
    if (actual.documents.size() != expected.documents.size())
        return std::to_string(actual.documents.size()) + " documents, expected " +
               std::to_string(expected.documents.size());
    for (std::size_t i = 0; i < actual.documents.size(); ++i) {
        const auto &a = actual.documents[i];
        const auto &e = expected.documents[i];
        const std::string where = "document " + std::to_string(i) + ": ";
        if (a.value != e.value)
            return where + a.value.dump() + "\n  expected " + e.value.dump();
        if (a.start.line != e.start.line || a.start.column != e.start.column)
            return where + "starts at " + describe(a.start) + ", expected " + describe(e.start);
        std::set<std::string> nulls, nullItems;
        collectNulls(e.value, {}, false, nulls, nullItems);
        if (auto d = comparePositions("key", a.keyPositions, e.keyPositions, nullItems); !d.empty())
            return where + d;
        if (auto d = comparePositions("value", a.valuePositions, e.valuePositions, nulls);
            !d.empty())
            return where + d;
    }
    return {};
}

// --- a corpus of manifests in many styles ----------------------------------------------------

class CorpusWriter {
public:
    explicit CorpusWriter(unsigned seed)
        : m_random(seed) {}

    std::string document() {
        m_out.clear();
        m_indent = pick({2, 4});
        m_indentlessSequences = chance(30);
        m_anchors = 0;
        m_closedAnchor = -1;
        if (chance(20))
            line(0, "# " + word());
        field(0, "apiVersion", pick<std::string>({"v1", "apps/v1", "batch/v1", "x.io/v1beta1"}));
        field(0, "kind", pick<std::string>({"Deployment", "ConfigMap", "Service", "Job", "Model"}));
        key(0, "metadata");
        field(m_indent, "name", pick<std::string>({"web", "'quoted-name'", "modèle-ü", "\"x\""}));
        if (chance(60))
            smallMap(m_indent, "labels");
        if (chance(30))
            key(m_indent, "annotations", chance(50) ? "" : " # none yet");
        key(0, chance(20) ? "data" : "spec");
        block(m_indent, 3);
        return m_out;
    }

private:
    template<typename T> T pick(std::initializer_list<T> items) {
        std::uniform_int_distribution<std::size_t> d(0, items.size() - 1);
        return *(items.begin() + static_cast<std::ptrdiff_t>(d(m_random)));
    }
    bool chance(int percent) {
        return std::uniform_int_distribution<int>(0, 99)(m_random) < percent;
    }

    std::string word() {
        return pick<std::string>({"nginx", "web-app", "ghcr.io/acme/server:1.2.3", "café", "a b c",
                                  "ünïcödé", "http://x.y/z?q=1#f", "echo a:b", "50%"});
    }
    std::string scalar() {
        return pick<std::string>({"nginx",
                                  "500m",
                                  "1Gi",
                                  "8080",
                                  "0.5",
                                  "true",
                                  "yes",
                                  "Off",
                                  "~",
                                  "null",
                                  "0755",
                                  "0x1F",
                                  "1_000",
                                  "1e3",
                                  "-.inf",
                                  "12:30",
                                  "\"8080\"",
                                  "'it''s'",
                                  "\"t\\tq\\\"\"",
                                  "\"\\u00e9t\\u00e9\"",
                                  "'ö'",
                                  "café au lait",
                                  "ghcr.io/acme/server:1.2.3",
                                  "-4",
                                  "!!str 12",
                                  "\"\""});
    }
    // A key not in `used` yet: repeated keys are compared in the table, where no value is empty.
    std::string keyText(std::set<std::string> &used) {
        std::string key;
        do
            key = anyKey();
        while (!used.insert(key).second);
        return key;
    }
    std::string anyKey() {
        return pick<std::string>({"name", "image", "app.kubernetes.io/name", "nvidia.com/gpu",
                                  "\"a b\"", "x-y", "$ref", "'q.key'", "1", "clé", "port",
                                  "replicas", "value"});
    }
    void line(int indent, const std::string &text) {
        m_out += std::string(static_cast<std::size_t>(indent), ' ') + text + "\n";
    }
    std::string comment() { return chance(15) ? "  # " + word() : ""; }
    void key(int indent, const std::string &k, const std::string &rest = "") {
        line(indent, k + ":" + rest);
    }
    void field(int indent, const std::string &k, const std::string &v) {
        line(indent, k + ": " + v + comment());
    }
    void smallMap(int indent, const std::string &k) {
        if (chance(50)) {
            line(indent, k + ": {app: " + pick<std::string>({"web", "\"w x\"", "ü"}) +
                             ", tier: model," + (chance(30) ? "\n" + pad(indent + 2) : " ") +
                             "n: 3}");
            return;
        }
        key(indent, k);
        std::set<std::string> used;
        for (int i = 0, n = pick({1, 2, 3}); i < n; ++i)
            field(indent + m_indent, keyText(used), scalar());
    }
    std::string pad(int indent) { return std::string(static_cast<std::size_t>(indent), ' '); }

    void blockScalar(int indent, const std::string &k) {
        line(indent, k + ": " + pick<std::string>({"|", "|-", "|+", ">", ">-", "|2"}) + comment());
        for (int i = 0, n = pick({1, 2, 4}); i < n; ++i) {
            if (chance(20))
                m_out += "\n";
            const int more = i > 0 && chance(20) ? 2 : 0; // a more indented line
            line(indent + m_indent + more, word() + (chance(20) ? " # kept" : ""));
        }
        if (chance(30))
            m_out += "\n";
    }

    void sequence(int indent, int depth) {
        const int itemIndent = m_indentlessSequences ? indent - m_indent : indent;
        for (int i = 0, n = pick({1, 2, 3}); i < n; ++i) {
            if (depth > 0 && chance(50)) { // a map as the item: `- key: value` then the rest
                std::set<std::string> used;
                line(itemIndent, "- " + keyText(used) + ": " + scalar());
                block(itemIndent + 2, depth - 1, used);
            } else if (chance(15)) {
                line(itemIndent, "-" + comment());
            } else {
                line(itemIndent, "- " + (chance(30) ? "[" + scalar() + ", " + scalar() + "]"
                                                    : scalar() + comment()));
            }
        }
    }

    // A block map at indent with nested content down to depth levels.
    void block(int indent, int depth, std::set<std::string> used = {}) {
        for (int i = 0, n = pick({2, 3, 4}); i < n; ++i) {
            const std::string k = keyText(used);
            const int choice = std::uniform_int_distribution<int>(0, 9)(m_random);
            if (choice < 3 || depth == 0) {
                if (m_closedAnchor >= 0 && chance(10))
                    field(indent, k, "*a" + std::to_string(m_closedAnchor));
                else
                    field(indent, k, scalar());
            } else if (choice < 5) {
                const int anchor = chance(25) ? m_anchors++ : -1;
                key(indent, k, anchor >= 0 ? " &a" + std::to_string(anchor) : "");
                block(indent + m_indent, depth - 1);
                if (anchor >= 0)
                    m_closedAnchor = anchor;
            } else if (choice < 7) {
                key(indent, k, comment());
                sequence(indent + m_indent, depth - 1);
            } else if (choice < 8) {
                blockScalar(indent, k);
            } else if (choice < 9) {
                smallMap(indent, k);
            } else {
                line(indent, k + ": " + word() + "\n" + pad(indent + m_indent) + "continued plain");
            }
            if (chance(10))
                line(chance(50) ? indent : 0, "# " + word());
        }
    }

    std::mt19937 m_random;
    std::string m_out;
    int m_indent = 2;
    bool m_indentlessSequences = false;
    int m_anchors = 0;
    int m_closedAnchor = -1; // aliases only name anchors whose node is complete
};

std::string corpus(unsigned seed, int documents) {
    CorpusWriter writer(seed);
    std::string text;
    for (int i = 0; i < documents; ++i) {
        if (i > 0)
            text += i % 7 == 0 ? "...\n---\n" : i % 5 == 0 ? "--- # next\n" : "---\n";
        text += writer.document();
    }
    return text;
}

std::string withCrlf(const std::string &text) {
    std::string out;
    for (char c : text)
        out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
}

} // namespace

class TstYamlDifferential final : public QObject {
    Q_OBJECT

private slots:
    void scenarios() {
        const QDir dir(QStringLiteral(KD_SOURCE_DIR "/resources/scenarios"));
        const QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const QString &name : files) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            const std::string diff = difference(std::string_view(bytes.constData(), bytes.size()));
            QVERIFY2(diff.empty(),
                     qPrintable(name + QStringLiteral(": ") + QString::fromStdString(diff)));
        }
    }

    void generatedCorpus_data() {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<bool>("crlf");
        for (unsigned seed = 1; seed <= 12; ++seed) {
            QTest::addRow("seed %u", seed) << seed << false;
            QTest::addRow("seed %u, CRLF", seed) << seed << true;
        }
    }
    void generatedCorpus() {
        QFETCH(unsigned, seed);
        QFETCH(bool, crlf);
        const std::string text = crlf ? withCrlf(corpus(seed, 40)) : corpus(seed, 40);
        QVERIFY(parseYaml(text).documents.size() >= 30); // the corpus is mostly valid YAML
        const std::string diff = difference(text);
        QVERIFY2(diff.empty(), diff.c_str());
    }

    void trickyYaml_data();
    void trickyYaml() {
        QFETCH(QByteArray, yaml);
        const std::string diff = difference(std::string_view(yaml.constData(), yaml.size()));
        QVERIFY2(diff.empty(), diff.c_str());
    }
};

void TstYamlDifferential::trickyYaml_data() {
    QTest::addColumn<QByteArray>("yaml");
    auto row = [](const char *name, const char *yaml) { QTest::newRow(name) << QByteArray(yaml); };
    row("literal chomping", "a: |\n  one\n  two\n\nb: |-\n  x\n\n  y\n\nc: |+\n  z\n\n\nd: 1\n");
    // No trailing empty lines after `>+`: yaml-cpp dropped them, libyaml keeps them as YAML says
    // (see tst_yamljson keepChompingKeepsTrailingLines).
    row("folded chomping",
        "a: >\n  folded\n  text\n\n  para\nb: >-\n  x\n    more\n  y\nc: >+\n  k\nd: 1\n");
    row("indentation indicator", "a: |2\n    two extra\n  base\nb: >1\n  lead\n");
    row("block scalars in a sequence", "- |\n  text\n- >-\n  folded\n- \"q\"\n- last\n");
    row("block scalar with marker-like lines", "a: |\n  --- not a marker\n  ... nor this\nb: 2\n");
    row("flow map over lines", "a: {x: 1,\n  y: [1, 2,\n    3], z: \"q\"}\nb: 2\n");
    row("flow sequence of maps", "a: [{n: 1}, {n: 2, m: [x]}, [], {}]\n");
    row("flow entries without values", "a: {x, y: 1}\nb: [k: v, w]\n");
    row("quoted keys", "\"a b\": 1\n'c.d': 2\n\"\": 3\n\"t\\tk\": 4\n'it''s': 5\n");
    row("multi-line plain scalars", "a: this is\n  a multi line\n\n  plain scalar\nb: x\n");
    row("multi-line quoted scalars",
        "a: \"x\\\n  y\\n z\"\nb: 'it''s\n  folded'\nc: \"a\n\n  b\"\n");
    row("anchors and aliases",
        "base: &b {x: 1, y: [1, 2]}\nuse: *b\nlist: [*b, *b]\ns: &s hello\nagain: *s\n");
    row("nested anchors", "a: &o {b: &i [1, 2], c: *i}\nd: *o\ne: *i\n");
    row("anchor redefined", "a: &x 1\nb: *x\nc: &x [2]\nd: *x\n");
    row("alias as a key", "a: &k key\n*k : v\n");
    row("merge key", "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n");
    row("comments everywhere", "# top\na: 1 # trailing\n# between\nb: # after key\n  - x # item\n"
                               "  # inside\n  - y\nc: [1, # in flow\n  2]\n# end\n");
    row("tabs", "a:\tb\nc: \"tab\tinside\"\nd: x\t# comment after a tab\ne: [1,\t2]\n");
    row("CRLF", "a: 1\r\nb:\r\n  - x\r\n  - 'y'\r\nc: |\r\n  lit\r\n  eral\r\nd: {e: f}\r\n");
    row("content after ---", "--- {a: 1}\n--- [x, y]\n--- |\n  literal\n--- !!str 5\n--- text\n");
    row("directives", "%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n--- b\n");
    row("explicit keys", "? a\n: 1\n? b\n:\n? |\n  block key\n: 3\n");
    row("empty values", "a:\nb: ~\nc: null\nd: ''\ne:\n  -\n  - x\n  -\nf:\n");
    row("scalar resolution",
        "a: [~, null, Null, NULL, true, yes, On, n, 0x10, 0o17, 017, 1_000, +5, -0, 1e3, .5, "
        ".inf, -.Inf, .NaN, 0b101, 9223372036854775808, 1.2.3, 500m, '1', \"yes\"]\n");
    row("tags", "a: !!str 12\nb: !!int \"7\"\nc: !custom x\nd: !!float 1\ne: ! 12\nf: !!str\n");
    row("non-string keys", "1: a\ntrue: b\n0x10: c\n1.5: d\n~x: e\n");
    row("nested sequences", "- - a\n  - b\n- - - c\n-\n  - d\n");
    row("indentless sequences", "a:\n- x\n- y: 1\n  z: 2\nb: 1\n");
    row("document ends", "a: 1\n...\n---\nb: 2\n...\nc: 3\n");
    row("empty documents", "---\n---\na: 1\n---\n# comment\n...\n--- # c\n");
    row("plain scalars with indicators",
        "url: http://x.y/z?a=b#frag\ncmd: echo a:b\nstar: a*b\npct: 50%\nt: 12:30:00\n"
        "dash: -x\nq: a'b\"c\n");
    row("non-ASCII", "name: café\nlabels: {ü: ñ, x: y}\nlist: [é, 'ö', \"ä\"]\n# très\n"
                     "ключ: значение\nemoji: \"😀 x\"\nafter: 1\n");
    row("duplicate keys", "a: 1\nb: 2\na: 3\nc: {x: 1, x: [2]}\nd: {y: {z: 1}}\nd: {y: {w: 2}}\n");
    row("kubernetes list", "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n"
                           "    name: a\n- kind: Pod\n  metadata: {name: b}\n");
    row("complex key", "? [a]\n: 1\n");
    row("null key", "~: 1\n");
    row("broken document among good ones", "a: 1\n---\nb: [\n---\nc: 2\n---\nd: {e\n");
    row("undefined alias", "a: *nope\n---\nb: 1\n");
    row("alias inside its anchor", "a: &a [1, *a]\n");
}

QTEST_APPLESS_MAIN(TstYamlDifferential)
#include "tst_yamldifferential.moc"

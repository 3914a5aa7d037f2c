// Label and field selectors: every operator, upstream's parse errors, canonical text and the
// field paths list calls filter on.
#include "sandbox/selectors.h"

#include <QTest>

using namespace kd::sandbox;

namespace {

Json parse(const QByteArray &text) {
    return Json::parse(text.toStdString());
}
QString qs(const std::string &s) {
    return QString::fromStdString(s);
}

const QString kNameRule = QStringLiteral("name part must consist of alphanumeric characters, '-', "
                                         "'_' or '.', and must start and end with an "
                                         "alphanumeric character (e.g. 'MyName',  or 'my.name',  "
                                         "or '123-abc', regex used for validation is "
                                         "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
const QString kValueRule =
    QStringLiteral("a valid label must be an empty string or consist of alphanumeric characters, "
                   "'-', '_' or '.', and must "
                   "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
                   "or '12345', regex used "
                   "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");

} // namespace

class TstSelectors final : public QObject {
    Q_OBJECT

private slots:
    void labelCanonical_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("all operators") << QStringLiteral("a=b,c!=d,e in (x,y),f notin (z),g,!h")
                                       << QStringLiteral("a=b,c!=d,e in (x,y),f notin (z),g,!h");
        QTest::newRow("sorted by key")
            << QStringLiteral("tier in (b,a),app=web") << QStringLiteral("app=web,tier in (a,b)");
        QTest::newRow("double equals") << QStringLiteral("a==b") << QStringLiteral("a==b");
        QTest::newRow("gt lt") << QStringLiteral("a>1,b<2") << QStringLiteral("a>1,b<2");
        QTest::newRow("blanks") << QStringLiteral("  a = b ,  c\tin\n(d , e)  ")
                                << QStringLiteral("a=b,c in (d,e)");
        QTest::newRow("empty values") << QStringLiteral("x in (foo,,baz),y,z notin ()")
                                      << QStringLiteral("x in (,baz,foo),y,z notin ()");
        QTest::newRow("empty exact value") << QStringLiteral("a=,b!=") << QStringLiteral("a=,b!=");
        QTest::newRow("duplicate values")
            << QStringLiteral("a in (b,b)") << QStringLiteral("a in (b)");
        QTest::newRow("keywords as values and keys") << QStringLiteral("in=notin,a in (in,notin)")
                                                     << QStringLiteral("a in (in,notin),in=notin");
        QTest::newRow("prefixed key") << QStringLiteral("app.kubernetes.io/name=web")
                                      << QStringLiteral("app.kubernetes.io/name=web");
        QTest::newRow("empty") << QString() << QString();
    }
    void labelCanonical() {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        std::string error;
        auto s = LabelSelector::parse(text.toStdString(), &error);
        QVERIFY2(s, error.c_str());
        QCOMPARE(qs(s->toString()), canonical);
        QCOMPARE(s->empty(), canonical.isEmpty());
    }

    void labelMatch_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<bool>("matches");
        QTest::newRow("= hit") << QStringLiteral("a=b") << QByteArray(R"({"a":"b"})") << true;
        QTest::newRow("= other value")
            << QStringLiteral("a=b") << QByteArray(R"({"a":"c"})") << false;
        QTest::newRow("= missing") << QStringLiteral("a=b") << QByteArray("{}") << false;
        QTest::newRow("== hit") << QStringLiteral("a==b") << QByteArray(R"({"a":"b"})") << true;
        QTest::newRow("!= missing") << QStringLiteral("a!=b") << QByteArray("{}") << true;
        QTest::newRow("!= same") << QStringLiteral("a!=b") << QByteArray(R"({"a":"b"})") << false;
        QTest::newRow("!= other") << QStringLiteral("a!=b") << QByteArray(R"({"a":"c"})") << true;
        QTest::newRow("in hit") << QStringLiteral("a in (x,y)") << QByteArray(R"({"a":"y"})")
                                << true;
        QTest::newRow("in miss") << QStringLiteral("a in (x,y)") << QByteArray(R"({"a":"z"})")
                                 << false;
        QTest::newRow("in missing") << QStringLiteral("a in (x,y)") << QByteArray("{}") << false;
        QTest::newRow("notin missing") << QStringLiteral("a notin (x)") << QByteArray("{}") << true;
        QTest::newRow("notin listed")
            << QStringLiteral("a notin (x)") << QByteArray(R"({"a":"x"})") << false;
        QTest::newRow("notin other")
            << QStringLiteral("a notin (x)") << QByteArray(R"({"a":"z"})") << true;
        QTest::newRow("exists") << QStringLiteral("a") << QByteArray(R"({"a":""})") << true;
        QTest::newRow("exists missing")
            << QStringLiteral("a") << QByteArray(R"({"b":"1"})") << false;
        QTest::newRow("does not exist")
            << QStringLiteral("!a") << QByteArray(R"({"b":"1"})") << true;
        QTest::newRow("does not exist present")
            << QStringLiteral("!a") << QByteArray(R"({"a":"1"})") << false;
        QTest::newRow("gt") << QStringLiteral("a>5") << QByteArray(R"({"a":"6"})") << true;
        QTest::newRow("gt equal") << QStringLiteral("a>5") << QByteArray(R"({"a":"5"})") << false;
        QTest::newRow("gt not a number")
            << QStringLiteral("a>5") << QByteArray(R"({"a":"x"})") << false;
        QTest::newRow("lt negative")
            << QStringLiteral("a<5") << QByteArray(R"({"a":"-1"})") << true;
        QTest::newRow("lt missing") << QStringLiteral("a<5") << QByteArray("{}") << false;
        QTest::newRow("empty value in set") << QStringLiteral("x in (foo,,baz),y,z notin ()")
                                            << QByteArray(R"({"x":"","y":"1"})") << true;
        QTest::newRow("empty = empty value")
            << QStringLiteral("a=") << QByteArray(R"({"a":""})") << true;
        QTest::newRow("all must hold") << QStringLiteral("app=web,tier!=db")
                                       << QByteArray(R"({"app":"web","tier":"db"})") << false;
        QTest::newRow("everything, null labels") << QString() << QByteArray("null") << true;
        QTest::newRow("null labels") << QStringLiteral("!a") << QByteArray("null") << true;
    }
    void labelMatch() {
        QFETCH(QString, selector);
        QFETCH(QByteArray, labels);
        QFETCH(bool, matches);
        std::string error;
        auto s = LabelSelector::parse(selector.toStdString(), &error);
        QVERIFY2(s, error.c_str());
        QCOMPARE(s->matches(parse(labels)), matches);
    }

    void labelErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("starts with =")
            << QStringLiteral("=a")
            << QStringLiteral("found '=', expected: !, identifier, or 'end of string'");
        QTest::newRow("===") << QStringLiteral("===")
                             << QStringLiteral(
                                    "found '==', expected: !, identifier, or 'end of string'");
        QTest::newRow("trailing comma")
            << QStringLiteral("a=b,") << QStringLiteral("found '', expected: identifier after ','");
        QTest::newRow("comma then =")
            << QStringLiteral("a=b,=")
            << QStringLiteral("found '=', expected: identifier after ','");
        QTest::newRow("two values")
            << QStringLiteral("a=b c")
            << QStringLiteral("found 'c', expected: ',' or 'end of string'");
        QTest::newRow("!!") << QStringLiteral("!!")
                            << QStringLiteral(
                                   "unable to parse requirement: found '!', expected: identifier");
        QTest::newRow("!,") << QStringLiteral("!,")
                            << QStringLiteral(
                                   "unable to parse requirement: found ',', expected: identifier");
        QTest::newRow("!") << QStringLiteral("!")
                           << QStringLiteral(
                                  "unable to parse requirement: found '', expected: identifier");
        QTest::newRow("!a=b") << QStringLiteral("!a=b")
                              << QStringLiteral("found '=', expected: ',' or 'end of string'");
        QTest::newRow("no operator") << QStringLiteral("a b")
                                     << QStringLiteral("unable to parse requirement: found 'b', "
                                                       "expected: in, notin, =, ==, !=, gt, lt");
        QTest::newRow("= then !")
            << QStringLiteral("a=!")
            << QStringLiteral("unable to parse requirement: found '!', expected: identifier");
        QTest::newRow("= then (")
            << QStringLiteral("a=(")
            << QStringLiteral("unable to parse requirement: found '(', expected: identifier");
        QTest::newRow("in without (")
            << QStringLiteral("a in a")
            << QStringLiteral("unable to parse requirement: found 'a' expected: '('");
        QTest::newRow("in at end")
            << QStringLiteral("a in ")
            << QStringLiteral("unable to parse requirement: found '' expected: '('");
        QTest::newRow("open set")
            << QStringLiteral("a in (")
            << QStringLiteral(
                   "unable to parse requirement: found '', expected: ',', ')' or identifier");
        QTest::newRow("unclosed set")
            << QStringLiteral("a in (b")
            << QStringLiteral("unable to parse requirement: found '', expected: ',' or ')'");
        QTest::newRow("two in set")
            << QStringLiteral("a in (a a)")
            << QStringLiteral("unable to parse requirement: found 'a', expected: ',' or ')'");
        QTest::newRow("operator in set")
            << QStringLiteral("a in (a,=)")
            << QStringLiteral(
                   "unable to parse requirement: found '=', expected: ',', or identifier");
        QTest::newRow("bad key")
            << QStringLiteral("@=b")
            << QStringLiteral("unable to parse requirement: <nil>: Invalid value: \"@\": ") +
                   kNameRule;
        QTest::newRow("empty prefix")
            << QStringLiteral("/a=b")
            << QStringLiteral("unable to parse requirement: <nil>: Invalid value: \"/a\": prefix "
                              "part must be non-empty");
        QTest::newRow("long key") << QStringLiteral("%1=b").arg(QString(64, QLatin1Char('k')))
                                  << QStringLiteral(
                                         "unable to parse requirement: <nil>: Invalid value: "
                                         "\"%1\": name part must be no more than 63 characters")
                                         .arg(QString(64, QLatin1Char('k')));
        QTest::newRow("bad value")
            << QStringLiteral("a=@")
            << QStringLiteral("unable to parse requirement: values[0][a]: Invalid value: \"@\": ") +
                   kValueRule;
        QTest::newRow("gt not a number")
            << QStringLiteral("a>b")
            << QStringLiteral(
                   "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' "
                   "operators, the value must be an integer");
    }
    void labelErrors() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        std::string actual;
        QVERIFY(!LabelSelector::parse(text.toStdString(), &actual));
        QCOMPARE(qs(actual), error);
    }

    void labelFromJson_data() {
        QTest::addColumn<QByteArray>("selector");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<bool>("matches");
        QTest::newRow("matchLabels")
            << QByteArray(R"({"matchLabels":{"app":"web"}})") << QStringLiteral("app=web")
            << QByteArray(R"({"app":"web","pod-template-hash":"abc"})") << true;
        QTest::newRow("expressions")
            << QByteArray(
                   R"({"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},{"key":"gpu","operator":"Exists"},{"key":"old","operator":"DoesNotExist"},{"key":"zone","operator":"NotIn","values":["z"]}]})")
            << QStringLiteral("app=web,gpu,!old,tier in (a,b),zone notin (z)")
            << QByteArray(R"({"app":"web","tier":"a","gpu":"1"})") << true;
        QTest::newRow("expression fails")
            << QByteArray(R"({"matchExpressions":[{"key":"tier","operator":"In","values":["a"]}]})")
            << QStringLiteral("tier in (a)") << QByteArray(R"({"tier":"b"})") << false;
        QTest::newRow("empty selects everything")
            << QByteArray("{}") << QString() << QByteArray("{}") << true;
        QTest::newRow("null selects nothing")
            << QByteArray("null") << QString() << QByteArray("{}") << false;
        QTest::newRow("bad operator selects nothing")
            << QByteArray(R"({"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]})")
            << QString() << QByteArray(R"({"a":"2"})") << false;
    }
    void labelFromJson() {
        QFETCH(QByteArray, selector);
        QFETCH(QString, canonical);
        QFETCH(QByteArray, labels);
        QFETCH(bool, matches);
        LabelSelector s = LabelSelector::fromJson(parse(selector));
        QCOMPARE(qs(s.toString()), canonical);
        QCOMPARE(s.matches(parse(labels)), matches);
    }

    void labelFromJsonErrors_data() {
        QTest::addColumn<QByteArray>("selector");
        QTest::addColumn<QString>("error");
        QTest::newRow("operator")
            << QByteArray(R"({"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]})")
            << QStringLiteral("\"Gt\" is not a valid label selector operator");
        QTest::newRow("in without values")
            << QByteArray(R"({"matchExpressions":[{"key":"a","operator":"In","values":[]}]})")
            << QStringLiteral("values: Invalid value: []string{}: for 'in', 'notin' operators, "
                              "values set can't be empty");
        QTest::newRow("exists with values")
            << QByteArray(
                   R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})")
            << QStringLiteral("values: Invalid value: []string{\"x\"}: values set must be empty "
                              "for exists and does not exist");
        QTest::newRow("bad key and value")
            << QByteArray(R"({"matchLabels":{"a b":"c d"}})")
            << QStringLiteral("[key: Invalid value: \"a b\": ") + kNameRule +
                   QStringLiteral(", values[0][a b]: Invalid value: \"c d\": ") + kValueRule +
                   QStringLiteral("]");
    }
    void labelFromJsonErrors() {
        QFETCH(QByteArray, selector);
        QFETCH(QString, error);
        std::string actual;
        QVERIFY(!LabelSelector::fromJson(parse(selector), &actual));
        QCOMPARE(qs(actual), error);
    }

    void labelFromMap() {
        LabelSelector s = LabelSelector::fromMap(parse(R"({"b":"2","a":"1"})"));
        QCOMPARE(qs(s.toString()), QStringLiteral("a=1,b=2"));
        QVERIFY(s.matches(parse(R"({"a":"1","b":"2","c":"3"})")));
        QVERIFY(!s.matches(parse(R"({"a":"1"})")));
        QVERIFY(LabelSelector::fromMap(Json()).empty());
        QVERIFY(LabelSelector::nothing().matchesNothing());
        QVERIFY(!LabelSelector::nothing().matches(Json::object()));
        QVERIFY(LabelSelector().matches(Json::object()));
    }

    void fieldMatch_data() {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<QByteArray>("object");
        QTest::addColumn<bool>("matches");
        const QByteArray pod =
            R"({"metadata":{"name":"web-1","namespace":"ml"},"spec":{"nodeName":"n1","hostNetwork":false},"status":{"phase":"Running","podIP":"10.0.0.1"}})";
        const QByteArray pending =
            R"({"metadata":{"name":"web-2","namespace":"ml"},"spec":{},"status":{"phase":"Pending"}})";
        const QByteArray event =
            R"({"involvedObject":{"kind":"Pod","name":"web-1","namespace":"ml","uid":"u1"},"type":"Warning","reason":"FailedScheduling","source":{"component":"default-scheduler"}})";
        QTest::newRow("name =") << QStringLiteral("metadata.name=web-1") << pod << true;
        QTest::newRow("name ==") << QStringLiteral("metadata.name==web-1") << pod << true;
        QTest::newRow("name !=") << QStringLiteral("metadata.name!=web-1") << pod << false;
        QTest::newRow("namespace") << QStringLiteral("metadata.namespace=ml") << pod << true;
        QTest::newRow("node and phase")
            << QStringLiteral("spec.nodeName=n1,status.phase=Running") << pod << true;
        QTest::newRow("phase mismatch")
            << QStringLiteral("spec.nodeName=n1,status.phase=Pending") << pod << false;
        QTest::newRow("unscheduled pods") << QStringLiteral("spec.nodeName=") << pending << true;
        QTest::newRow("scheduled pods") << QStringLiteral("spec.nodeName!=") << pending << false;
        QTest::newRow("not succeeded or failed")
            << QStringLiteral("status.phase!=Succeeded,status.phase!=Failed") << pending << true;
        QTest::newRow("boolean") << QStringLiteral("spec.hostNetwork=false") << pod << true;
        QTest::newRow("number") << QStringLiteral("status.succeeded=1")
                                << QByteArray(R"({"status":{"succeeded":1}})") << true;
        QTest::newRow("involvedObject")
            << QStringLiteral("involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject."
                              "namespace=ml,involvedObject.uid=u1")
            << event << true;
        QTest::newRow("type and reason")
            << QStringLiteral("type=Warning,reason=FailedScheduling") << event << true;
        QTest::newRow("event source")
            << QStringLiteral("source=default-scheduler") << event << true;
        QTest::newRow("event reportingComponent as source")
            << QStringLiteral("source=kubelet")
            << QByteArray(R"({"source":{},"reportingComponent":"kubelet"})") << true;
        QTest::newRow("escaped comma") << QStringLiteral("metadata.name=a\\,b")
                                       << QByteArray(R"({"metadata":{"name":"a,b"}})") << true;
        QTest::newRow("escaped =") << QStringLiteral("metadata.name=a\\=b")
                                   << QByteArray(R"({"metadata":{"name":"a=b"}})") << true;
        QTest::newRow("leftmost operator") << QStringLiteral("metadata.name=!x")
                                           << QByteArray(R"({"metadata":{"name":"!x"}})") << true;
        QTest::newRow("deep path through scalar")
            << QStringLiteral("metadata.name.x=") << pod << true;
        QTest::newRow("empty selects all") << QString() << pod << true;
        QTest::newRow("empty terms skipped")
            << QStringLiteral(",metadata.name=web-1,,") << pod << true;
    }
    void fieldMatch() {
        QFETCH(QString, selector);
        QFETCH(QByteArray, object);
        QFETCH(bool, matches);
        std::string error;
        auto s = FieldSelector::parse(selector.toStdString(), &error);
        QVERIFY2(s, error.c_str());
        QCOMPARE(s->matches(parse(object)), matches);
    }

    void fieldErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("no operator")
            << QStringLiteral("a") << QStringLiteral("invalid selector: 'a'; can't understand 'a'");
        QTest::newRow("second term")
            << QStringLiteral("a=b,c")
            << QStringLiteral("invalid selector: 'a=b,c'; can't understand 'c'");
        QTest::newRow("unescaped =")
            << QStringLiteral("a=b=c")
            << QStringLiteral("invalid field selector: unescaped character in value: 61");
        QTest::newRow("!== is != and =")
            << QStringLiteral("metadata.name!==x")
            << QStringLiteral("invalid field selector: unescaped character in value: 61");
        QTest::newRow("bad escape")
            << QStringLiteral("a=b\\x")
            << QStringLiteral("invalid field selector: invalid escape sequence: \\x");
        QTest::newRow("trailing backslash")
            << QStringLiteral("a=b\\")
            << QStringLiteral("invalid field selector: invalid escape sequence: \\");
    }
    void fieldErrors() {
        QFETCH(QString, text);
        QFETCH(QString, error);
        std::string actual;
        QVERIFY(!FieldSelector::parse(text.toStdString(), &actual));
        QCOMPARE(qs(actual), error);
    }

    void fieldCanonical() {
        std::string error;
        auto s = FieldSelector::parse("status.phase!=Running,metadata.name==a\\,b", &error);
        QVERIFY(s);
        QCOMPARE(qs(s->toString()), QStringLiteral("metadata.name=a\\,b,status.phase!=Running"));
        QCOMPARE(s->requirements().size(), 2u);
        QCOMPARE(qs(s->requirements()[1].field), QStringLiteral("status.phase"));
        QVERIFY(s->requirements()[1].negated);
        QVERIFY(FieldSelector().empty());
    }

    // A list call filters thousands of pods with one parsed selector.
    void manyPods() {
        std::string error;
        auto labels = LabelSelector::parse("app=web,tier in (a,b),!canary", &error);
        auto fields = FieldSelector::parse("status.phase=Running,spec.nodeName!=", &error);
        QVERIFY(labels && fields);
        int matched = 0;
        for (int i = 0; i < 10'000; ++i) {
            Json pod{{"metadata",
                      {{"name", "p" + std::to_string(i)},
                       {"labels", {{"app", i % 2 ? "web" : "db"}, {"tier", i % 3 ? "a" : "c"}}}}},
                     {"spec", {{"nodeName", i % 5 ? "n1" : ""}}},
                     {"status", {{"phase", i % 7 ? "Running" : "Pending"}}}};
            if (i % 11 == 0)
                pod["metadata"]["labels"]["canary"] = "true";
            if (labels->matches(pod["metadata"]["labels"]) && fields->matches(pod))
                ++matched;
        }
        int expected = 0;
        for (int i = 0; i < 10'000; ++i)
            expected += (i % 2 && i % 3 && i % 5 && i % 7 && i % 11) ? 1 : 0;
        QCOMPARE(matched, expected);
    }
};

QTEST_APPLESS_MAIN(TstSelectors)
#include "tst_selectors.moc"

// Server-side apply and managed fields: create, re-apply, dropped fields, conflicts with Update
// and Apply managers, force, before-first-apply, keyed lists, sets and recordUpdate.
#include "jsoncompare.h"
#include "sandbox/fieldmanager.h"

#include <QTest>

#include <functional>

using namespace kd::sandbox;

namespace {

Json parse(const char *text) {
    return Json::parse(text);
}
QString qs(const std::string &s) {
    return QString::fromStdString(s);
}

// FieldsV1 text written with ' for the quotes inside keys (k:{'name':'c'}, v:'x'), which
// reads better than escapes.
Json fieldsV1(const char *text) {
    std::string json;
    for (const char *c = text; *c; ++c) {
        if (*c == '\'')
            json += "\\\"";
        else
            json += *c;
    }
    return Json::parse(json);
}

// A Deployment configuration as a user would apply it.
Json config(int replicas, const std::string &image) {
    Json d = parse(
        R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml","labels":{"app":"web"}},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]}}}})");
    d["spec"]["replicas"] = replicas;
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image;
    return d;
}

const Json &managed(const Json &object) {
    return object["metadata"]["managedFields"];
}

Json entry(const char *manager, const char *operation, const char *time, const Json &fields) {
    Json e{{"manager", manager}, {"operation", operation}, {"apiVersion", "apps/v1"}};
    if (*time)
        e["time"] = time;
    e["fieldsType"] = "FieldsV1";
    e["fieldsV1"] = fields;
    return e;
}

const char *kReplicasOnly = R"({"f:spec":{"f:replicas":{}}})";

Json fullSet(bool withReplicas) {
    Json f = fieldsV1(
        R"({"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:selector":{"f:matchLabels":{"f:app":{}}},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{'name':'c'}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{'containerPort':80,'protocol':'TCP'}":{".":{},"f:containerPort":{}}}}}}}}})");
    if (withReplicas)
        f["f:spec"]["f:replicas"] = Json::object();
    return f;
}

// Another manager's non-apply write, as the API handlers record it.
Json updated(const Json &live, const std::function<void(Json &)> &change, const char *manager,
             const char *now) {
    Json next = live;
    change(next);
    recordUpdate(next, &live, manager, "apps/v1", now);
    return next;
}

Json apply(const Json &live, const Json &cfg, const char *manager, const char *now,
           bool force = false) {
    ApplyOutcome out = serverSideApply(&live, cfg, manager, force, "apps/v1", now);
    if (!out.conflicts.empty())
        qWarning("unexpected conflict: %s", conflictMessage(out.conflicts).c_str());
    return out.object;
}

} // namespace

class TstFieldManager final : public QObject {
    Q_OBJECT

private slots:
    void createOwnsEveryAppliedField() {
        ApplyOutcome out =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1");
        QVERIFY(out.conflicts.empty());
        KD_COMPARE_JSON(managed(out.object),
                        Json::array({entry("deployer", "Apply", "T1", fullSet(true))}));
        Json withoutManaged = out.object;
        withoutManaged["metadata"].erase("managedFields");
        KD_COMPARE_JSON(withoutManaged, config(2, "x:1"));
    }

    void reapplyingTheSameKeepsTheTime() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json again = apply(live, config(2, "x:1"), "deployer", "T2");
        KD_COMPARE_JSON(again, live);
        Json changed = apply(live, config(2, "x:2"), "deployer", "T3");
        QCOMPARE(qs(changed["metadata"]["managedFields"][0]["time"].get<std::string>()),
                 QStringLiteral("T3"));
    }

    void droppedFieldIsRemoved() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json cfg = config(2, "x:1");
        cfg["spec"].erase("replicas");
        cfg["metadata"]["labels"]["tier"] = "front";
        Json next = apply(live, cfg, "deployer", "T2");
        QVERIFY(!next["spec"].contains("replicas"));
        {
            const Json want = parse(R"({"app":"web","tier":"front"})");
            KD_COMPARE_JSON(next["metadata"]["labels"], want);
        }
        Json fields = fullSet(false);
        fields["f:metadata"]["f:labels"]["f:tier"] = Json::object();
        KD_COMPARE_JSON(managed(next), Json::array({entry("deployer", "Apply", "T2", fields)}));
    }

    void droppedFieldStaysWhenSharedWithAnotherManager() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json shared = apply(
            live,
            parse(
                R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}})"),
            "autoscaler", "T2");
        KD_COMPARE_JSON(managed(shared),
                        Json::array({entry("deployer", "Apply", "T1", fullSet(true)),
                                     entry("autoscaler", "Apply", "T2", parse(kReplicasOnly))}));
        Json cfg = config(2, "x:1");
        cfg["spec"].erase("replicas");
        Json next = apply(shared, cfg, "deployer", "T3");
        QCOMPARE(next["spec"]["replicas"].get<int>(), 2);
        KD_COMPARE_JSON(managed(next)[0]["fieldsV1"], fullSet(false));
    }

    void conflictWithAnUpdateManager() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json scaled = updated(
            live, [](Json &d) { d["spec"]["replicas"] = 5; }, "kubectl", "T2");
        KD_COMPARE_JSON(managed(scaled),
                        Json::array({entry("deployer", "Apply", "T1", fullSet(false)),
                                     entry("kubectl", "Update", "T2", parse(kReplicasOnly))}));

        ApplyOutcome out =
            serverSideApply(&scaled, config(2, "x:1"), "deployer", false, "apps/v1", "T3");
        QCOMPARE(out.conflicts.size(), 1u);
        QCOMPARE(qs(out.conflicts[0].manager), QStringLiteral("kubectl"));
        QCOMPARE(qs(out.conflicts[0].apiVersion), QStringLiteral("apps/v1"));
        QCOMPARE(qs(out.conflicts[0].field), QStringLiteral(".spec.replicas"));
        QCOMPARE(qs(conflictMessage(out.conflicts)),
                 QStringLiteral("Apply failed with 1 conflict: conflict with \"kubectl\" using "
                                "apps/v1: .spec.replicas"));
        std::vector<StatusCause> causes = conflictCauses(out.conflicts);
        QCOMPARE(causes.size(), 1u);
        QCOMPARE(qs(causes[0].reason), QStringLiteral("FieldManagerConflict"));
        QCOMPARE(qs(causes[0].message), QStringLiteral("conflict with \"kubectl\" using apps/v1"));
        QCOMPARE(qs(causes[0].field), QStringLiteral(".spec.replicas"));

        // Applying the live value is no conflict: both own the field.
        Json agreed = apply(scaled, config(5, "x:1"), "deployer", "T4");
        KD_COMPARE_JSON(managed(agreed),
                        Json::array({entry("deployer", "Apply", "T1", fullSet(true)),
                                     entry("kubectl", "Update", "T2", parse(kReplicasOnly))}));

        // Force takes the field over; an owner left with nothing disappears.
        ApplyOutcome forced =
            serverSideApply(&scaled, config(2, "x:1"), "deployer", true, "apps/v1", "T5");
        QVERIFY(forced.conflicts.empty());
        QCOMPARE(forced.object["spec"]["replicas"].get<int>(), 2);
        KD_COMPARE_JSON(managed(forced.object),
                        Json::array({entry("deployer", "Apply", "T5", fullSet(true))}));
    }

    void severalConflicts() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json edited = updated(
            live,
            [](Json &d) {
                d["spec"]["replicas"] = 3;
                d["spec"]["template"]["spec"]["containers"][0]["image"] = "x:9";
                d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"] = "web";
            },
            "m", "T2");
        Json cfg = config(2, "x:1");
        cfg["spec"]["template"]["spec"]["containers"][0]["ports"][0]["name"] = "http";
        ApplyOutcome out = serverSideApply(&edited, cfg, "deployer", false, "apps/v1", "T3");
        QCOMPARE(qs(conflictMessage(out.conflicts)),
                 QStringLiteral("Apply failed with 3 conflicts: conflicts with \"m\" using "
                                "apps/v1:\n- .spec.replicas\n"
                                "- .spec.template.spec.containers[name=\"c\"].image\n"
                                "- "
                                ".spec.template.spec.containers[name=\"c\"].ports[containerPort=80,"
                                "protocol=\"TCP\"].name"));
    }

    void conflictWithAnotherApplier() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json other = parse(
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"api"}},"spec":{"replicas":3}})");
        ApplyOutcome out = serverSideApply(&live, other, "other", false, "apps/v1", "T2");
        QCOMPARE(qs(conflictMessage(out.conflicts)),
                 QStringLiteral("Apply failed with 2 conflicts: conflicts with \"deployer\":\n- "
                                ".metadata.labels.app\n- .spec.replicas"));
        QCOMPARE(qs(conflictCauses(out.conflicts)[0].message),
                 QStringLiteral("conflict with \"deployer\""));
    }

    void beforeFirstApply() {
        Json live = parse(
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ml","uid":"u","resourceVersion":"7","creationTimestamp":"T0","generation":1},"spec":{"replicas":1},"status":{"replicas":1}})");
        Json cfg = parse(
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}})");
        ApplyOutcome out = serverSideApply(&live, cfg, "deployer", false, "apps/v1", "T1");
        QCOMPARE(qs(conflictMessage(out.conflicts)),
                 QStringLiteral("Apply failed with 1 conflict: conflict with "
                                "\"before-first-apply\" using apps/v1: .spec.replicas"));
        cfg["spec"]["replicas"] = 1;
        Json next = apply(live, cfg, "deployer", "T1");
        KD_COMPARE_JSON(
            managed(next),
            Json::array({entry("deployer", "Apply", "T1", parse(kReplicasOnly)),
                         entry("before-first-apply", "Update", "", parse(kReplicasOnly))}));
        QCOMPARE(qs(next["metadata"]["uid"].get<std::string>()), QStringLiteral("u"));
    }

    void recordUpdateOnCreateOwnsEverything() {
        Json obj = parse(
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","uid":"u","labels":{"a":"1"}},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},"status":{"replicas":0}})");
        recordUpdate(obj, nullptr, "kubectl-create", "apps/v1", "T1");
        {
            const Json want = Json::array({entry(
                "kubectl-create", "Update", "T1",
                fieldsV1(
                    R"({"f:metadata":{"f:labels":{"f:a":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{'name':'c'}":{".":{},"f:image":{},"f:name":{}}}}}}})"))});
            KD_COMPARE_JSON(managed(obj), want);
        }
    }

    void recordUpdateTransfersChangedAndDropsRemoved() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json same = updated(
            live,
            [](Json &d) {
                d["status"] = {{"replicas", 2}};
            },
            "controller", "T2");
        KD_COMPARE_JSON(managed(same), managed(live)); // status belongs to nobody: nothing changed
        Json next = updated(
            live,
            [](Json &d) {
                d["metadata"]["labels"] = {{"b", "x"}};
                d["metadata"]["annotations"] = {{"note", "x"}};
            },
            "editor", "T3");
        Json fields = fullSet(true);
        fields.erase("f:metadata");
        {
            const Json want = Json::array(
                {entry("deployer", "Apply", "T1", fields),
                 entry(
                     "editor", "Update", "T3",
                     parse(
                         R"({"f:metadata":{"f:annotations":{"f:note":{}},"f:labels":{"f:b":{}}}})"))});
            KD_COMPARE_JSON(managed(next), want);
        }
        // A second write by the same manager adds to its entry and moves its time.
        Json again = updated(
            next, [](Json &d) { d["spec"]["paused"] = true; }, "editor", "T4");
        {
            const Json want = entry(
                "editor", "Update", "T4",
                parse(
                    R"({"f:metadata":{"f:annotations":{"f:note":{}},"f:labels":{"f:b":{}}},"f:spec":{"f:paused":{}}})"));
            KD_COMPARE_JSON(managed(again)[1], want);
        }
    }

    void recordUpdateThenApplyConflicts() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json next = updated(
            live, [](Json &d) { d["spec"]["template"]["spec"]["containers"][0]["image"] = "x:2"; },
            "kubectl-set", "T2");
        ApplyOutcome out =
            serverSideApply(&next, config(2, "x:1"), "deployer", false, "apps/v1", "T3");
        QCOMPARE(qs(conflictMessage(out.conflicts)),
                 QStringLiteral("Apply failed with 1 conflict: conflict with \"kubectl-set\" using "
                                "apps/v1: .spec.template.spec.containers[name=\"c\"].image"));
    }

    void resetManagedFields() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json next = live;
        next["metadata"]["managedFields"] = Json::array({Json::object()});
        recordUpdate(next, &live, "editor", "apps/v1", "T2");
        QVERIFY(!next["metadata"].contains("managedFields"));
    }

    void keyedListsMergeAndPrune() {
        Json live =
            serverSideApply(nullptr, config(2, "x:1"), "deployer", false, "apps/v1", "T1").object;
        Json injected = updated(
            live,
            [](Json &d) {
                d["spec"]["template"]["spec"]["containers"].push_back(
                    {{"name", "sidecar"}, {"image", "s:1"}});
            },
            "injector", "T2");
        Json cfg = config(2, "x:1");
        cfg["spec"]["template"]["spec"]["containers"].push_back({{"name", "d"}, {"image", "d:1"}});
        Json withD = apply(injected, cfg, "deployer", "T3");
        Json names = Json::array();
        for (const Json &c : withD["spec"]["template"]["spec"]["containers"])
            names.push_back(c["name"]);
        {
            const Json want = parse(R"(["c","sidecar","d"])");
            KD_COMPARE_JSON(names, want);
        }
        Json back = apply(withD, config(2, "x:1"), "deployer", "T4");
        names = Json::array();
        for (const Json &c : back["spec"]["template"]["spec"]["containers"])
            names.push_back(c["name"]);
        {
            const Json want = parse(R"(["c","sidecar"])");
            KD_COMPARE_JSON(names, want);
        }
    }

    void listOrderFollowsTheConfiguration() {
        Json live = parse(
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"},{"name":"c","image":"1"}]}})");
        recordUpdate(live, nullptr, "creator", "v1", "T1");
        Json cfg = parse(
            R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"1"},{"name":"a","image":"1"}]}})");
        ApplyOutcome out = serverSideApply(&live, cfg, "deployer", false, "v1", "T2");
        QVERIFY(out.conflicts.empty());
        {
            const Json want = parse(
                R"([{"image":"1","name":"b"},{"image":"1","name":"c"},{"image":"1","name":"a"}])");
            KD_COMPARE_JSON(out.object["spec"]["containers"], want);
        }
    }

    void setsAndNulls() {
        Json live = parse(
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","finalizers":["y"],"labels":{"a":"1","b":"2"}},"data":{"k":"v"}})");
        recordUpdate(live, nullptr, "creator", "v1", "T1");
        Json cfg = parse(
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","finalizers":["x"],"labels":{"a":null}}})");
        ApplyOutcome out = serverSideApply(&live, cfg, "deployer", false, "v1", "T2");
        QVERIFY(out.conflicts.empty());
        {
            const Json want = parse(R"(["y","x"])");
            KD_COMPARE_JSON(out.object["metadata"]["finalizers"], want);
        }
        {
            const Json want = parse(R"({"b":"2"})");
            KD_COMPARE_JSON(out.object["metadata"]["labels"], want);
        }
        {
            const Json want =
                fieldsV1(R"({"f:metadata":{"f:finalizers":{"v:'x'":{}},"f:labels":{"f:a":{}}}})");
            KD_COMPARE_JSON(out.object["metadata"]["managedFields"][0]["fieldsV1"], want);
        }
        {
            const Json want = fieldsV1(
                R"({"f:data":{"f:k":{}},"f:metadata":{"f:finalizers":{"v:'y'":{}},"f:labels":{"f:b":{}}}})");
            KD_COMPARE_JSON(out.object["metadata"]["managedFields"][1]["fieldsV1"], want);
        }
    }
};

QTEST_APPLESS_MAIN(TstFieldManager)
#include "tst_fieldmanager.moc"

#include "sandbox/fieldmanager.h"

#include "sandbox/fieldmanagerfields.h"
#include "sandbox/selectorsvalidation.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace kd::sandbox {

namespace {

const std::string kApply = "Apply";
const std::string kUpdate = "Update";
const std::string kBeforeFirstApply = "before-first-apply";

struct ManagedEntry {
    std::string manager;
    std::string operation;
    std::string apiVersion;
    std::string time;
    std::string subresource;
    FieldSet fields;

    // Upstream tells managers apart by name, operation and subresource, and Update managers
    // also by apiVersion (an applier keeps its identity across versions).
    bool is(const std::string &m, const std::string &op, const std::string &version) const {
        return manager == m && operation == op && subresource.empty() &&
               (op == kApply || apiVersion == version);
    }
};

std::optional<std::vector<ManagedEntry>> decodeEntries(const Json &managedFields) {
    std::vector<ManagedEntry> entries;
    if (managedFields.is_null())
        return entries;
    if (!managedFields.is_array())
        return std::nullopt;
    for (const Json &e : managedFields) {
        if (!e.is_object())
            return std::nullopt;
        if (str(e, {"fieldsType"}, "FieldsV1") != "FieldsV1")
            return std::nullopt;
        auto fields = FieldSet::fromFieldsV1(e.value("fieldsV1", Json::object()));
        if (!fields)
            return std::nullopt;
        entries.push_back({str(e, {"manager"}), str(e, {"operation"}), str(e, {"apiVersion"}),
                           str(e, {"time"}), str(e, {"subresource"}), std::move(*fields)});
    }
    return entries;
}

// The live object's entries; undecodable managed fields count as none, as upstream.
std::vector<ManagedEntry> entriesOf(const Json &object) {
    auto entries = decodeEntries(at(object, {"metadata", "managedFields"}));
    return entries ? std::move(*entries) : std::vector<ManagedEntry>{};
}

void writeEntries(Json &object, std::vector<ManagedEntry> entries) {
    std::erase_if(entries, [](const ManagedEntry &e) { return e.fields.empty(); });
    // Upstream's order: operation, time, manager, apiVersion, subresource.
    std::stable_sort(
        entries.begin(), entries.end(), [](const ManagedEntry &a, const ManagedEntry &b) {
            return std::tie(a.operation, a.time, a.manager, a.apiVersion, a.subresource) <
                   std::tie(b.operation, b.time, b.manager, b.apiVersion, b.subresource);
        });
    if (!object.is_object())
        return;
    Json &metadata = object["metadata"];
    if (entries.empty()) {
        if (metadata.is_object())
            metadata.erase("managedFields");
        return;
    }
    Json list = Json::array();
    for (const ManagedEntry &e : entries) {
        Json j{{"manager", e.manager}, {"operation", e.operation}, {"apiVersion", e.apiVersion}};
        if (!e.time.empty())
            j["time"] = e.time;
        j["fieldsType"] = "FieldsV1";
        j["fieldsV1"] = e.fields.toFieldsV1();
        if (!e.subresource.empty())
            j["subresource"] = e.subresource;
        list.push_back(std::move(j));
    }
    metadata["managedFields"] = std::move(list);
}

Json withoutManagedFields(const Json &object) {
    Json copy = object;
    if (copy.is_object() && copy.contains("metadata") && copy["metadata"].is_object())
        copy["metadata"].erase("managedFields");
    return copy;
}

std::string printManager(const ApplyConflict &c) {
    std::string out = goQuote(c.manager);
    if (!c.subresource.empty())
        out += " with subresource " + goQuote(c.subresource);
    if (c.operation == kUpdate)
        out += " using " + c.apiVersion;
    return out;
}

} // namespace

ApplyOutcome serverSideApply(const Json *live, const Json &applied, const std::string &manager,
                             bool force, const std::string &apiVersion, const std::string &now) {
    const Json config = withoutManagedFields(applied);
    const FieldSet appliedSet = fieldSetOf(collectFields(config));
    ApplyOutcome outcome;
    if (!live) {
        outcome.object = mergeForApply(Json::object(), config);
        writeEntries(outcome.object, {{manager, kApply, apiVersion, now, {}, appliedSet}});
        return outcome;
    }

    const Json liveObject = withoutManagedFields(*live);
    const FieldValues liveValues = collectFields(liveObject);
    std::vector<ManagedEntry> entries = entriesOf(*live);
    if (entries.empty()) // fields set before anyone applied belong to a stand-in manager
        entries.push_back({kBeforeFirstApply, kUpdate, apiVersion, {}, {}, fieldSetOf(liveValues)});

    auto self = std::find_if(entries.begin(), entries.end(), [&](const ManagedEntry &e) {
        return e.is(manager, kApply, apiVersion);
    });
    FieldSet lastApplied;
    std::string lastTime;
    if (self != entries.end()) {
        lastApplied = self->fields;
        lastTime = self->time;
        entries.erase(self);
    }

    Json merged = mergeForApply(liveObject, config);
    // Fields this manager stopped applying go, unless someone (this apply included) still owns
    // them or something beneath them.
    FieldSet others;
    for (const ManagedEntry &e : entries)
        others = others.unite(e.fields);
    const FieldSet dropped = lastApplied.minus(appliedSet).minus(others);
    // Parents before children: removing a list item takes its fields along, while removing a
    // key field first would leave the item unfindable.
    for (const FieldPath &path : dropped.members()) {
        if (!appliedSet.containsAtOrBelow(path) && !others.containsAtOrBelow(path))
            removeField(merged, path);
    }

    const FieldChanges changes = compareFields(liveValues, collectFields(merged));
    const FieldSet changed = changes.added.unite(changes.modified);
    std::vector<FieldSet> conflicting(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        conflicting[i] = entries[i].fields.intersect(changed);
        for (const FieldPath &p : conflicting[i].members())
            outcome.conflicts.push_back({entries[i].manager, entries[i].apiVersion,
                                         fieldPathText(p), entries[i].operation,
                                         entries[i].subresource});
    }
    if (!outcome.conflicts.empty() && !force) {
        std::stable_sort(outcome.conflicts.begin(), outcome.conflicts.end(),
                         [](const ApplyConflict &a, const ApplyConflict &b) {
                             return std::tie(a.manager, a.operation, a.apiVersion, a.subresource) <
                                    std::tie(b.manager, b.operation, b.apiVersion, b.subresource);
                         });
        return outcome;
    }
    outcome.conflicts.clear();
    for (std::size_t i = 0; i < entries.size(); ++i)
        entries[i].fields = entries[i].fields.minus(conflicting[i]).minus(changes.removed);

    // The timestamp moves only when the apply changed the object.
    std::string time = (lastTime.empty() || merged != liveObject) ? now : lastTime;
    entries.push_back({manager, kApply, apiVersion, time, {}, appliedSet});
    writeEntries(merged, std::move(entries));
    outcome.object = std::move(merged);
    return outcome;
}

void recordUpdate(Json &newObject, const Json *oldObject, const std::string &manager,
                  const std::string &apiVersion, const std::string &now) {
    const Json &sent = at(newObject, {"metadata", "managedFields"});
    std::vector<ManagedEntry> entries;
    bool reset = sent.is_array() && sent.size() == 1 && sent[0].is_object() && sent[0].empty();
    if (!reset) {
        auto decoded = decodeEntries(sent);
        if (decoded && !decoded->empty())
            entries = std::move(*decoded);
        else if (oldObject)
            entries = entriesOf(*oldObject);
    }

    const Json before = oldObject ? withoutManagedFields(*oldObject) : Json::object();
    const Json after = withoutManagedFields(newObject);
    const FieldChanges changes = compareFields(collectFields(before), collectFields(after));
    const FieldSet changed = changes.added.unite(changes.modified);
    for (ManagedEntry &e : entries)
        e.fields = e.fields.minus(changed).minus(changes.removed);
    if (!changed.empty()) {
        auto self = std::find_if(entries.begin(), entries.end(), [&](const ManagedEntry &e) {
            return e.is(manager, kUpdate, apiVersion);
        });
        if (self == entries.end())
            entries.push_back({manager, kUpdate, apiVersion, now, {}, changed});
        else {
            self->fields = self->fields.unite(changed);
            self->time = now;
        }
    }
    writeEntries(newObject, std::move(entries));
}

std::string conflictMessage(const std::vector<ApplyConflict> &conflicts) {
    if (conflicts.size() == 1)
        return "Apply failed with 1 conflict: conflict with " + printManager(conflicts.front()) +
               ": " + conflicts.front().field;
    // Grouped by manager, managers in sorted order, paths in the order found.
    std::map<std::tuple<std::string, std::string, std::string, std::string>,
             std::vector<const ApplyConflict *>>
        groups;
    for (const ApplyConflict &c : conflicts)
        groups[{c.manager, c.operation, c.apiVersion, c.subresource}].push_back(&c);
    std::string lines;
    for (const auto &[key, group] : groups) {
        lines += (lines.empty() ? "" : "\n") + std::string("conflicts with ") +
                 printManager(*group.front()) + ":";
        for (const ApplyConflict *c : group)
            lines += "\n- " + c->field;
    }
    return "Apply failed with " + std::to_string(conflicts.size()) + " conflicts: " + lines;
}

std::vector<StatusCause> conflictCauses(const std::vector<ApplyConflict> &conflicts) {
    std::vector<StatusCause> causes;
    for (const ApplyConflict &c : conflicts)
        causes.push_back({"FieldManagerConflict", "conflict with " + printManager(c), c.field});
    return causes;
}

} // namespace kd::sandbox

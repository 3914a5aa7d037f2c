#pragma once
// The field sets behind managedFields: paths of FieldsV1 keys, the sets' FieldsV1 encoding, the
// fields an object holds with their values, and the merge server-side apply performs.

#include "sandbox/json.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kd::sandbox {

// FieldsV1 keys from the object's root: "f:spec", "k:{\"name\":\"c\"}", "v:\"x\"".
using FieldPath = std::vector<std::string>;

class FieldSet final {
public:
    void insert(const FieldPath &path) { m_members.insert(path); }
    bool contains(const FieldPath &path) const { return m_members.count(path) > 0; }
    // Whether the path or anything below it is a member.
    bool containsAtOrBelow(const FieldPath &path) const;
    bool empty() const { return m_members.empty(); }
    const std::set<FieldPath> &members() const { return m_members; }

    FieldSet unite(const FieldSet &other) const;
    FieldSet minus(const FieldSet &other) const;
    FieldSet intersect(const FieldSet &other) const;
    bool operator==(const FieldSet &other) const { return m_members == other.m_members; }

    Json toFieldsV1() const;
    // nullopt when `fields` is not a FieldsV1 tree.
    static std::optional<FieldSet> fromFieldsV1(const Json &fields);

private:
    std::set<FieldPath> m_members;
};

// ".spec.template.spec.containers[name=\"c\"].image", as structured-merge-diff prints paths.
std::string fieldPathText(const FieldPath &path);

// Every owned-able field of an object with a pointer to its value. List items of keyed lists
// appear as members too (isItem), whose own value does not count as a change.
struct FieldValue {
    const Json *value = nullptr;
    bool isItem = false;
};
using FieldValues = std::map<FieldPath, FieldValue>;
FieldValues collectFields(const Json &object); // the pointers point into `object`
FieldSet fieldSetOf(const FieldValues &values);

struct FieldChanges {
    FieldSet added;
    FieldSet modified;
    FieldSet removed;
};
FieldChanges compareFields(const FieldValues &before, const FieldValues &after);

// Merges an apply configuration onto the live object: maps merge, keyed lists and sets merge
// item by item in structured-merge-diff's order, atomic values are replaced, null removes.
Json mergeForApply(const Json &live, const Json &applied);
// Removes the field or list item a path names, if it is there.
void removeField(Json &object, const FieldPath &path);

// The identity of an item of a map list: its key fields (protocol defaults to TCP, as the API's
// defaulting would set it); nullopt when the item is not an object or lacks the first key.
std::optional<Json> applyItemKey(const Json &item, const std::vector<std::string> &keys);

} // namespace kd::sandbox

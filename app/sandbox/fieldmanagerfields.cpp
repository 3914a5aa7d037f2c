#include "sandbox/fieldmanagerfields.h"

#include "sandbox/patchschema.h"

#include <algorithm>
#include <iterator>

namespace kd::sandbox {

namespace {

// Fields nobody owns: upstream strips them from every managed set.
bool isIgnored(const FieldPath &parentPath, const std::string &key) {
    if (parentPath.empty())
        return key == "apiVersion" || key == "kind" || key == "status";
    if (parentPath.size() == 1 && parentPath.front() == "f:metadata")
        return key == "name" || key == "namespace" || key == "uid" || key == "resourceVersion" ||
               key == "generation" || key == "creationTimestamp" || key == "managedFields" ||
               key == "selfLink" || key == "clusterName";
    return false;
}

class Collector {
public:
    Collector(std::string kind, FieldValues &out)
        : m_kind(std::move(kind))
        , m_out(out) {}

    void walkMap(const Json &obj, std::string_view self) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            if (isIgnored(m_path, it.key()))
                continue;
            m_path.push_back("f:" + it.key());
            visit(*it, self, it.key());
            m_path.pop_back();
        }
    }

private:
    void leaf(const Json &v) { m_out[m_path] = {&v, false}; }

    void visit(const Json &v, std::string_view parent, std::string_view field) {
        if (v.is_object()) {
            if (v.empty() || isAtomicMapForApply(m_kind, parent, field))
                leaf(v);
            else
                walkMap(v, field);
            return;
        }
        if (!v.is_array()) {
            leaf(v);
            return;
        }
        ListStrategy s = listStrategy(m_kind, parent, field, &v);
        if (s.apply == ListStrategy::Apply::Set) {
            for (const Json &item : v) {
                m_path.push_back("v:" + item.dump());
                leaf(item);
                m_path.pop_back();
            }
            return;
        }
        if (s.apply != ListStrategy::Apply::Map) {
            leaf(v);
            return;
        }
        // Items without their key, or with a duplicate, make the list one value here, where
        // upstream would reject the object.
        std::vector<std::string> elements;
        for (const Json &item : v) {
            auto key = applyItemKey(item, s.keys);
            if (!key) {
                leaf(v);
                return;
            }
            elements.push_back("k:" + key->dump());
        }
        std::vector<std::string> sorted = elements;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
            leaf(v);
            return;
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
            m_path.push_back(elements[i]);
            m_out[m_path] = {&v[i], true};
            walkMap(v[i], field);
            m_path.pop_back();
        }
    }

    std::string m_kind;
    FieldValues &m_out;
    FieldPath m_path;
};

bool fromFieldsV1Into(const Json &node, FieldPath &path, std::set<FieldPath> &out) {
    if (!node.is_object())
        return false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->is_object())
            return false;
        if (it.key() == ".") {
            if (!path.empty())
                out.insert(path);
            continue;
        }
        const std::string &k = it.key();
        if (k.size() < 2 || k[1] != ':' ||
            (k[0] != 'f' && k[0] != 'k' && k[0] != 'v' && k[0] != 'i'))
            return false;
        path.push_back(k);
        if (it->empty())
            out.insert(path);
        else if (!fromFieldsV1Into(*it, path, out))
            return false;
        path.pop_back();
    }
    return true;
}

} // namespace

std::optional<Json> applyItemKey(const Json &item, const std::vector<std::string> &keys) {
    if (!item.is_object() || keys.empty())
        return std::nullopt;
    Json key = Json::object();
    for (std::size_t i = 0; i < keys.size(); ++i) {
        auto it = item.find(keys[i]);
        if (it != item.end() && !it->is_null())
            key[keys[i]] = *it;
        else if (i == 0)
            return std::nullopt;
        else if (keys[i] == "protocol")
            key[keys[i]] = "TCP";
    }
    return key;
}

bool FieldSet::containsAtOrBelow(const FieldPath &path) const {
    auto it = m_members.lower_bound(path);
    return it != m_members.end() && it->size() >= path.size() &&
           std::equal(path.begin(), path.end(), it->begin());
}

FieldSet FieldSet::unite(const FieldSet &other) const {
    FieldSet out = *this;
    out.m_members.insert(other.m_members.begin(), other.m_members.end());
    return out;
}

FieldSet FieldSet::minus(const FieldSet &other) const {
    FieldSet out;
    std::set_difference(m_members.begin(), m_members.end(), other.m_members.begin(),
                        other.m_members.end(), std::inserter(out.m_members, out.m_members.end()));
    return out;
}

FieldSet FieldSet::intersect(const FieldSet &other) const {
    FieldSet out;
    std::set_intersection(m_members.begin(), m_members.end(), other.m_members.begin(),
                          other.m_members.end(), std::inserter(out.m_members, out.m_members.end()));
    return out;
}

Json FieldSet::toFieldsV1() const {
    Json root = Json::object();
    // Two passes: a member gets its "." marker only if it turns out to have children.
    for (const FieldPath &p : m_members) {
        Json *node = &root;
        for (const std::string &e : p) {
            auto it = node->find(e);
            node = it == node->end() ? &((*node)[e] = Json::object()) : &*it;
        }
    }
    for (const FieldPath &p : m_members) {
        Json *node = &root;
        for (const std::string &e : p)
            node = &(*node)[e];
        if (!node->empty())
            (*node)["."] = Json::object();
    }
    return root;
}

std::optional<FieldSet> FieldSet::fromFieldsV1(const Json &fields) {
    FieldSet out;
    FieldPath path;
    if (!fromFieldsV1Into(fields, path, out.m_members))
        return std::nullopt;
    return out;
}

std::string fieldPathText(const FieldPath &path) {
    std::string out;
    for (const std::string &e : path) {
        std::string_view body = std::string_view(e).substr(2);
        switch (e[0]) {
        case 'f':
            out += "." + std::string(body);
            break;
        case 'k': {
            Json key = Json::parse(body, nullptr, false);
            out += "[";
            bool first = true;
            if (key.is_object()) {
                for (auto it = key.begin(); it != key.end(); ++it) {
                    out += (first ? "" : ",") + it.key() + "=" + it->dump();
                    first = false;
                }
            }
            out += "]";
            break;
        }
        case 'v':
            out += "[=" + std::string(body) + "]";
            break;
        default:
            out += "[" + std::string(body) + "]";
        }
    }
    return out;
}

FieldValues collectFields(const Json &object) {
    FieldValues out;
    if (object.is_object()) {
        Collector collector(str(object, {"kind"}), out);
        collector.walkMap(object, {});
    }
    return out;
}

FieldSet fieldSetOf(const FieldValues &values) {
    FieldSet out;
    for (const auto &[path, value] : values)
        out.insert(path);
    return out;
}

FieldChanges compareFields(const FieldValues &before, const FieldValues &after) {
    FieldChanges changes;
    auto b = before.begin();
    auto a = after.begin();
    while (b != before.end() || a != after.end()) {
        if (a == after.end() || (b != before.end() && b->first < a->first)) {
            changes.removed.insert(b->first);
            ++b;
        } else if (b == before.end() || a->first < b->first) {
            changes.added.insert(a->first);
            ++a;
        } else {
            bool changed = a->second.isItem != b->second.isItem ||
                           (!a->second.isItem && *a->second.value != *b->second.value);
            if (changed)
                changes.modified.insert(a->first);
            ++a;
            ++b;
        }
    }
    return changes;
}

} // namespace kd::sandbox

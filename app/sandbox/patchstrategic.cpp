// Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server
// (MergeParallelList and IgnoreUnmatchedNulls on): maps merge, null deletes, lists merge by their
// patch merge key, and the directives steer deletion, replacement and ordering.
#include "sandbox/patch.h"
#include "sandbox/patchschema.h"

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

namespace kd::sandbox {

namespace {

constexpr std::string_view kPatchDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kOrderPrefix = "$setElementOrder/";
constexpr std::string_view kDeletePrefix = "$deleteFromPrimitiveList/";

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Go's %v of a decoded JSON value, which upstream's messages print maps with.
std::string goValue(const Json &v) {
    if (v.is_object()) {
        std::string out = "map[";
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            out += (first ? "" : " ") + it.key() + ":" + goValue(*it);
            first = false;
        }
        return out + "]";
    }
    if (v.is_array()) {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i)
            out += (i ? " " : "") + goValue(v[i]);
        return out + "]";
    }
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return "<nil>";
    return v.dump();
}

[[noreturn]] void throwNoMergeKey(const Json &item, const std::string &key) {
    throw PatchError("map: " + goValue(item) + " does not contain declared merge key: " + key);
}

[[noreturn]] void throwBadPatchType(const Json &type, const Json &map) {
    throw PatchError("unknown patch type: " + goValue(type) + " in map: " + goValue(map));
}

// What identifies a list item: its merge key's value in keyed lists, the item itself otherwise.
const Json &identity(const Json &item, const std::string &mergeKey) {
    static const Json null;
    if (mergeKey.empty() || !item.is_object())
        return item;
    auto it = item.find(mergeKey);
    return it == item.end() ? null : *it;
}

long indexOf(const std::vector<Json> &list, const Json &item, const std::string &mergeKey) {
    const Json &id = identity(item, mergeKey);
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (identity(list[i], mergeKey) == id)
            return static_cast<long>(i);
    }
    return -1;
}

// Sorts by position in `order`; items `order` does not know keep their relative order after it.
void sortByOrder(std::vector<Json> &items, const std::vector<Json> &order,
                 const std::string &mergeKey) {
    std::stable_sort(items.begin(), items.end(), [&](const Json &a, const Json &b) {
        long ia = indexOf(order, a, mergeKey);
        long ib = indexOf(order, b, mergeKey);
        if (ia >= 0 && ib >= 0)
            return ia < ib;
        return ia >= 0 && ib < 0;
    });
}

// normalizeElementOrder: patch items in patch order, server-only items in server order, then the
// server-only items woven in before the first patch item that follows them on the server.
std::vector<Json> normalizeOrder(std::vector<Json> patchItems, std::vector<Json> serverOnly,
                                 const std::vector<Json> &patchOrder,
                                 const std::vector<Json> &serverOrder,
                                 const std::string &mergeKey) {
    sortByOrder(patchItems, patchOrder, mergeKey);
    sortByOrder(serverOnly, serverOrder, mergeKey);
    std::vector<Json> out;
    out.reserve(patchItems.size() + serverOnly.size());
    std::size_t i = 0, j = 0;
    while (i < serverOnly.size() || j < patchItems.size()) {
        if (i >= serverOnly.size()) {
            out.push_back(std::move(patchItems[j++]));
        } else if (j >= patchItems.size()) {
            out.push_back(std::move(serverOnly[i++]));
        } else {
            long li = indexOf(serverOrder, serverOnly[i], mergeKey);
            long ri = indexOf(serverOrder, patchItems[j], mergeKey);
            if (li >= 0 && ri >= 0 && li < ri)
                out.push_back(std::move(serverOnly[i++]));
            else
                out.push_back(std::move(patchItems[j++]));
        }
    }
    return out;
}

std::vector<Json> toVector(const Json &array) {
    return array.is_array() ? std::vector<Json>(array.begin(), array.end()) : std::vector<Json>{};
}

bool isDirectiveItem(const Json &item) {
    return item.is_object() && item.contains(kPatchDirective);
}

class Merger {
public:
    explicit Merger(std::string kind)
        : m_kind(std::move(kind)) {}

    // nullopt when the patch asks for the whole map to go ($patch: delete).
    std::optional<Json> mergeMap(Json original, const Json &patch, std::string_view self) {
        if (!original.is_object())
            original = Json::object();
        if (auto d = patch.find(kPatchDirective); d != patch.end()) {
            if (*d == "delete")
                return std::nullopt;
            if (*d == "replace") {
                Json rest = patch;
                rest.erase(std::string(kPatchDirective));
                return mergeMap(Json::object(), rest, self);
            }
            if (*d != "merge")
                throwBadPatchType(*d, patch);
        }
        applyRetainKeys(original, patch);
        std::set<std::string> ordered;
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            if (startsWith(it.key(), kOrderPrefix) &&
                applyElementOrder(original, patch, it.key(), *it, self))
                ordered.insert(it.key().substr(kOrderPrefix.size()));
        }
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            const std::string &key = it.key();
            if (startsWith(key, kDeletePrefix)) {
                deleteFromPrimitiveList(original, key, *it);
                continue;
            }
            // Other directives were handled above; unknown `$` keys name no field of any type.
            if (startsWith(key, "$") || ordered.count(key))
                continue;
            mergeField(original, key, *it, self);
        }
        return original;
    }

    Json mergeList(std::string_view parent, std::string_view field, const Json &original,
                   const Json &patch) {
        ListStrategy strategy = listStrategy(m_kind, parent, field, &original, &patch);
        std::vector<Json> items;
        bool replace = false;
        for (const Json &p : patch) {
            if (isDirectiveItem(p) && p[kPatchDirective] == "replace")
                replace = true;
            else
                items.push_back(p);
        }
        if (replace)
            return freshItems(items, field);
        if (!strategy.mergeKey.empty()) // an empty patch list leaves a merging list alone
            return patch.empty() ? original
                                 : mergeKeyedList(field, original, items, strategy.mergeKey);
        if (strategy.primitiveMerge)
            return mergePrimitiveList(original, items);
        return freshItems(items, field);
    }

private:
    void mergeField(Json &original, const std::string &key, const Json &value,
                    std::string_view self) {
        if (value.is_null()) {
            original.erase(key);
            return;
        }
        auto it = original.find(key);
        std::optional<Json> merged;
        if (it != original.end() && it->is_object() && value.is_object() &&
            !isReplacedMapForPatch(m_kind, self, key))
            merged = mergeMap(*it, value, key);
        else if (it != original.end() && it->is_array() && value.is_array())
            merged = mergeList(self, key, *it, value);
        else
            merged = fresh(value, self, key);
        if (merged)
            original[key] = std::move(*merged);
        else
            original.erase(key);
    }

    // A patch value with nothing under it: directives resolve against nothing, nulls vanish.
    std::optional<Json> fresh(const Json &value, std::string_view parent, std::string_view field) {
        if (value.is_object())
            return mergeMap(Json::object(), value, field);
        if (value.is_array())
            return mergeList(parent, field, Json::array(), value);
        return value;
    }

    Json freshItems(const std::vector<Json> &items, std::string_view field) {
        Json out = Json::array();
        for (const Json &item : items) {
            if (!item.is_object()) {
                out.push_back(item);
            } else if (auto m = mergeMap(Json::object(), item, field)) {
                out.push_back(std::move(*m));
            }
        }
        return out;
    }

    Json mergeKeyedList(std::string_view field, const Json &original,
                        const std::vector<Json> &patch, const std::string &key) {
        std::vector<Json> base = toVector(original);
        std::vector<Json> entries;
        for (const Json &p : patch) {
            if (!p.is_object())
                throw PatchError("mismatched element types in list \"" + std::string(field) +
                                 "\": expected maps with merge key " + key);
            if (!isDirectiveItem(p)) {
                entries.push_back(p);
                continue;
            }
            const Json &directive = p[kPatchDirective];
            if (directive == "delete") {
                if (!p.contains(key))
                    throwNoMergeKey(p, key);
                std::erase_if(base,
                              [&](const Json &item) { return identity(item, key) == p[key]; });
            } else if (directive == "merge") {
                Json rest = p;
                rest.erase(std::string(kPatchDirective));
                entries.push_back(std::move(rest));
            } else {
                throwBadPatchType(directive, p);
            }
        }
        const std::vector<Json> serverOrder = base;
        for (const Json &p : entries) {
            if (!p.contains(key))
                throwNoMergeKey(p, key);
            long i = indexOf(base, p, key);
            if (i >= 0) {
                if (auto m = mergeMap(base[static_cast<std::size_t>(i)], p, field))
                    base[static_cast<std::size_t>(i)] = std::move(*m);
            } else if (auto m = mergeMap(Json::object(), p, field)) {
                base.push_back(std::move(*m));
            }
        }
        std::vector<Json> patchItems, serverOnly;
        for (Json &item : base)
            (indexOf(entries, item, key) >= 0 ? patchItems : serverOnly).push_back(std::move(item));
        return normalizeOrder(std::move(patchItems), std::move(serverOnly), entries, serverOrder,
                              key);
    }

    static Json mergePrimitiveList(const Json &original, const std::vector<Json> &patch) {
        std::vector<Json> merged;
        for (const Json &v : toVector(original)) {
            if (std::find(merged.begin(), merged.end(), v) == merged.end())
                merged.push_back(v);
        }
        for (const Json &v : patch) {
            if (std::find(merged.begin(), merged.end(), v) == merged.end())
                merged.push_back(v);
        }
        std::vector<Json> patchItems, serverOnly;
        for (Json &v : merged)
            (std::find(patch.begin(), patch.end(), v) != patch.end() ? patchItems : serverOnly)
                .push_back(std::move(v));
        return normalizeOrder(std::move(patchItems), std::move(serverOnly), patch,
                              toVector(original), {});
    }

    static void applyRetainKeys(Json &original, const Json &patch) {
        auto r = patch.find(kRetainKeys);
        if (r == patch.end())
            return;
        if (!r->is_array())
            throw PatchError("invalid patch format of retainKeys");
        std::set<std::string> retained;
        for (const Json &k : *r) {
            if (k.is_string())
                retained.insert(k.get<std::string>());
        }
        for (auto it = patch.begin(); it != patch.end(); ++it) {
            if (it->is_null() || startsWith(it.key(), "$"))
                continue;
            if (!retained.count(it.key()))
                throw PatchError("invalid patch format of retainKeys");
        }
        for (auto it = original.begin(); it != original.end();) {
            if (retained.count(it.key()))
                ++it;
            else
                it = original.erase(it);
        }
    }

    static void deleteFromPrimitiveList(Json &original, const std::string &directive,
                                        const Json &values) {
        if (!values.is_array())
            throw PatchError("invalid type for " + directive + ": expected a list, got " +
                             goValue(values));
        auto it = original.find(directive.substr(kDeletePrefix.size()));
        if (it == original.end() || !it->is_array())
            return;
        Json kept = Json::array();
        for (const Json &v : *it) {
            if (std::find(values.begin(), values.end(), v) == values.end())
                kept.push_back(v);
        }
        *it = std::move(kept);
    }

    // $setElementOrder/<list>: merges the list (if the patch has it) and orders the result as
    // the directive says. Returns false when the main loop should handle the list instead.
    bool applyElementOrder(Json &original, const Json &patch, const std::string &directive,
                           const Json &order, std::string_view self) {
        if (!order.is_array())
            throw PatchError("invalid type for " + directive + ": expected a list, got " +
                             goValue(order));
        const std::string listName = directive.substr(kOrderPrefix.size());
        auto p = patch.find(listName);
        auto o = original.find(listName);
        bool inPatch = p != patch.end();
        bool inOriginal = o != original.end();
        if ((inPatch && !p->is_array()) || (inOriginal && !o->is_array()))
            return false; // a deletion or a type change: plain merging decides
        if (!inPatch && !inOriginal)
            return true;
        ListStrategy strategy = listStrategy(m_kind, self, listName, inOriginal ? &*o : nullptr,
                                             inPatch ? &*p : nullptr);
        const std::string &key = strategy.mergeKey;
        std::vector<Json> orderList = toVector(order);
        if (!key.empty()) {
            for (const Json &item : orderList) {
                if (!item.is_object() || !item.contains(key))
                    throwNoMergeKey(item, key);
            }
        }
        if (inPatch)
            validateOrder(*p, order, key);
        Json merged = inPatch ? mergeList(self, listName, inOriginal ? *o : Json::array(), *p) : *o;
        std::vector<Json> patchItems, serverOnly;
        for (const Json &item : merged)
            (indexOf(orderList, item, key) >= 0 ? patchItems : serverOnly).push_back(item);
        std::vector<Json> serverOrder = inOriginal ? toVector(*o) : std::vector<Json>{};
        original[listName] = normalizeOrder(std::move(patchItems), std::move(serverOnly), orderList,
                                            serverOrder, key);
        return true;
    }

    // The patch list's items must appear in the order list, in the same relative order.
    static void validateOrder(const Json &patchList, const Json &order, const std::string &key) {
        std::vector<Json> items;
        for (const Json &item : patchList) {
            if (!isDirectiveItem(item))
                items.push_back(item);
        }
        std::size_t pi = 0, oi = 0;
        while (pi < items.size() && oi < order.size()) {
            if (identity(items[pi], key) == identity(order[oi], key))
                ++pi;
            ++oi;
        }
        if (pi < items.size())
            throw PatchError("The order in patch list:\n" + goValue(patchList) +
                             "\n doesn't match " + std::string(kOrderPrefix) + " list:\n" +
                             goValue(order) + "\n");
    }

    std::string m_kind;
};

const char *goJsonType(const Json &v) {
    if (v.is_array())
        return "array";
    if (v.is_string())
        return "string";
    if (v.is_boolean())
        return "bool";
    if (v.is_number())
        return "number";
    return "null";
}

} // namespace

Json applyStrategicMergePatch(const Json &target, const Json &patch) {
    if (!patch.is_object())
        throw PatchError(std::string("json: cannot unmarshal ") + goJsonType(patch) +
                         " into Go value of type map[string]interface {}");
    std::string kind = str(target, {"kind"}, str(patch, {"kind"}));
    Merger merger(kind);
    auto merged = merger.mergeMap(target, patch, {});
    return merged ? *merged : Json::object();
}

} // namespace kd::sandbox

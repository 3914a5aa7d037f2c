// The merge of server-side apply (structured-merge-diff's merge walker): the configuration's
// values win, keyed lists and sets merge item by item, everything else is replaced.
#include "sandbox/fieldmanagerfields.h"
#include "sandbox/patchschema.h"

#include <optional>

namespace kd::sandbox {

namespace {

class ApplyMerger {
public:
    explicit ApplyMerger(std::string kind)
        : m_kind(std::move(kind)) {}

    Json mergeMap(const Json &live, const Json &applied, std::string_view self) const {
        Json out = live.is_object() ? live : Json::object();
        for (auto it = applied.begin(); it != applied.end(); ++it) {
            const std::string &key = it.key();
            if (it->is_null()) {
                out.erase(key);
                continue;
            }
            auto current = out.find(key);
            if (current != out.end() && current->is_object() && it->is_object() &&
                !isAtomicMapForApply(m_kind, self, key))
                *current = mergeMap(*current, *it, key);
            else if (current != out.end() && current->is_array() && it->is_array())
                *current = mergeList(*current, *it, self, key);
            else
                out[key] = clean(*it, key);
        }
        return out;
    }

private:
    // A configured value with nothing under it: nulls inside it mean "absent".
    Json clean(const Json &v, std::string_view field) const {
        if (v.is_object())
            return mergeMap(Json::object(), v, field);
        if (v.is_array()) {
            Json out = Json::array();
            for (const Json &item : v)
                out.push_back(item.is_object() ? mergeMap(Json::object(), item, field) : item);
            return out;
        }
        return v;
    }

    // Identities of a list's items, or nullopt when an item has none or two items share one.
    std::optional<std::vector<Json>> identities(const Json &list, const ListStrategy &s) const {
        std::vector<Json> ids;
        for (const Json &item : list) {
            std::optional<Json> id = s.apply == ListStrategy::Apply::Set
                                         ? std::optional<Json>(item)
                                         : applyItemKey(item, s.keys);
            if (!id)
                return std::nullopt;
            for (const Json &seen : ids) {
                if (seen == *id)
                    return std::nullopt;
            }
            ids.push_back(std::move(*id));
        }
        return ids;
    }

    static long find(const std::vector<Json> &ids, const Json &id) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (ids[i] == id)
                return static_cast<long>(i);
        }
        return -1;
    }

    Json mergeItem(const Json *live, const Json &applied, const ListStrategy &s,
                   std::string_view field) const {
        if (s.apply == ListStrategy::Apply::Set)
            return applied;
        return mergeMap(live ? *live : Json::object(), applied, field);
    }

    // Keeps the configuration's order for the items it names and leaves live-only items where
    // they stood relative to them, as structured-merge-diff's list merge does.
    Json mergeList(const Json &live, const Json &applied, std::string_view parent,
                   std::string_view field) const {
        ListStrategy s = listStrategy(m_kind, parent, field, &live, &applied);
        if (s.apply == ListStrategy::Apply::Atomic)
            return clean(applied, field);
        auto lhs = identities(live, s);
        auto rhs = identities(applied, s);
        if (!lhs || !rhs)
            return clean(applied, field);
        std::vector<Json> shared; // items in both, in the configuration's order
        for (const Json &id : *rhs) {
            if (find(*lhs, id) >= 0)
                shared.push_back(id);
        }
        std::size_t nextShared = 0;
        std::vector<bool> emitted(rhs->size(), false);
        Json out = Json::array();
        std::size_t li = 0, ri = 0;
        const std::size_t ln = lhs->size(), rn = rhs->size();
        auto advanceShared = [&](const Json &id) {
            if (nextShared < shared.size() && shared[nextShared] == id)
                ++nextShared;
        };
        while (li < ln || ri < rn) {
            if (li < ln && ri < rn) {
                const Json &lid = (*lhs)[li];
                if (lid == (*rhs)[ri]) {
                    out.push_back(mergeItem(&live[li], applied[ri], s, field));
                    emitted[ri] = true;
                    advanceShared(lid);
                    ++li;
                    ++ri;
                    continue;
                }
                if (find(*rhs, lid) >= 0 && nextShared < shared.size() &&
                    shared[nextShared] != lid) {
                    ++li; // a shared item, but not the next one the configuration wants
                    continue;
                }
            }
            if (li < ln) {
                long r = find(*rhs, (*lhs)[li]);
                if (r < 0) {
                    out.push_back(live[li]);
                    ++li;
                    continue;
                }
                if (emitted[static_cast<std::size_t>(r)]) {
                    ++li;
                    continue;
                }
            }
            if (ri < rn) {
                long l = find(*lhs, (*rhs)[ri]);
                out.push_back(mergeItem(l >= 0 ? &live[static_cast<std::size_t>(l)] : nullptr,
                                        applied[ri], s, field));
                emitted[ri] = true;
                advanceShared((*rhs)[ri]);
                ++ri;
            }
        }
        return out;
    }

    std::string m_kind;
};

bool keyMatches(const Json &item, const Json &key) {
    if (!item.is_object())
        return false;
    for (auto it = key.begin(); it != key.end(); ++it) {
        auto v = item.find(it.key());
        if (v != item.end() && !v->is_null()) {
            if (*v != *it)
                return false;
        } else if (!(it.key() == "protocol" && *it == "TCP")) {
            return false;
        }
    }
    return true;
}

} // namespace

Json mergeForApply(const Json &live, const Json &applied) {
    ApplyMerger merger(str(applied, {"kind"}, str(live, {"kind"})));
    return merger.mergeMap(live, applied, {});
}

void removeField(Json &object, const FieldPath &path) {
    Json *cur = &object;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string &e = path[i];
        bool last = i + 1 == path.size();
        std::string body = e.substr(2);
        if (e[0] == 'f') {
            if (!cur->is_object())
                return;
            auto it = cur->find(body);
            if (it == cur->end())
                return;
            if (last) {
                cur->erase(it);
                return;
            }
            cur = &*it;
            continue;
        }
        if (!cur->is_array())
            return;
        Json wanted = Json::parse(body, nullptr, false);
        auto it = cur->begin();
        for (; it != cur->end(); ++it) {
            if (e[0] == 'k' ? keyMatches(*it, wanted) : *it == wanted)
                break;
        }
        if (it == cur->end())
            return;
        if (last) {
            cur->erase(it);
            return;
        }
        cur = &*it;
    }
}

} // namespace kd::sandbox

// JSON merge patch and JSON patch. Messages follow evanphx/json-patch v4, which the API server
// applies JSON patches with, so clients see the texts they would see from a real cluster.
#include "sandbox/patch.h"

#include <charconv>
#include <vector>

namespace kd::sandbox {

namespace {

const std::string kMissing = ": missing value";
const std::string kInvalidIndex = ": invalid index referenced";

std::string decodeToken(std::string_view token) {
    std::string out;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() &&
            (token[i + 1] == '0' || token[i + 1] == '1')) {
            out += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += token[i];
        }
    }
    return out;
}

// The container a pointer's last token lives in, and that token; nullptr when any step on the
// way is missing or is not a container.
Json *findParent(Json &doc, const std::string &path, std::string *key) {
    if (path.empty() || path.front() != '/')
        return nullptr;
    std::vector<std::string> tokens;
    std::size_t start = 1;
    while (true) {
        std::size_t slash = path.find('/', start);
        tokens.push_back(decodeToken(std::string_view(path).substr(
            start, slash == std::string::npos ? std::string::npos : slash - start)));
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
    Json *cur = &doc;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        const std::string &t = tokens[i];
        if (cur->is_object()) {
            auto it = cur->find(t);
            if (it == cur->end() || !(it->is_object() || it->is_array()))
                return nullptr;
            cur = &*it;
        } else if (cur->is_array()) {
            long long idx = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), idx);
            if (ec != std::errc() || p != t.data() + t.size())
                return nullptr;
            if (idx < 0)
                idx += static_cast<long long>(cur->size());
            if (idx < 0 || idx >= static_cast<long long>(cur->size()))
                return nullptr;
            Json &next = (*cur)[static_cast<std::size_t>(idx)];
            if (!(next.is_object() || next.is_array()))
                return nullptr;
            cur = &next;
        } else {
            return nullptr;
        }
    }
    *key = tokens.back();
    return cur->is_object() || cur->is_array() ? cur : nullptr;
}

// An array index as v4 reads it: negative counts from the end; `size` is the length allowed.
long long arrayIndex(const std::string &key, std::size_t size, const std::string &context) {
    long long idx = 0;
    auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), idx);
    if (ec != std::errc() || p != key.data() + key.size() || key.empty())
        throw PatchError(context + "strconv.Atoi: parsing " + "\"" + key + "\": invalid syntax");
    long long n = static_cast<long long>(size);
    if (idx < 0) {
        if (idx < -n)
            throw PatchError(context + "Unable to access invalid index: " + key + kInvalidIndex);
        idx += n;
    }
    if (idx >= n)
        throw PatchError(context + "Unable to access invalid index: " + key + kInvalidIndex);
    return idx;
}

// Reads a member; nullptr for a missing object member (v4 does not call that an error).
const Json *getMember(Json &container, const std::string &key, const std::string &context) {
    if (container.is_object()) {
        auto it = container.find(key);
        return it == container.end() ? nullptr : &*it;
    }
    return &container[static_cast<std::size_t>(arrayIndex(key, container.size(), context))];
}

void addMember(Json &container, const std::string &key, Json value, const std::string &context) {
    if (container.is_object()) {
        container[key] = std::move(value);
        return;
    }
    if (key == "-") {
        container.push_back(std::move(value));
        return;
    }
    long long idx = arrayIndex(key, container.size() + 1, context);
    container.insert(container.begin() + idx, std::move(value));
}

void removeMember(Json &container, const std::string &key, const std::string &context) {
    if (container.is_object()) {
        if (container.erase(key) == 0)
            throw PatchError(context + "Unable to remove nonexistent key: " + key + kMissing);
        return;
    }
    long long idx = arrayIndex(key, container.size(), context);
    container.erase(container.begin() + idx);
}

std::string stringField(const Json &op, const char *name) {
    auto it = op.find(name);
    return it != op.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Json valueOf(const Json &op) {
    auto it = op.find("value");
    return it == op.end() ? Json() : *it;
}

void applyOperation(Json &doc, const Json &op) {
    std::string kind = op.is_object() ? stringField(op, "op") : std::string();
    if (kind.empty())
        kind = "unknown";
    std::string path = op.is_object() ? stringField(op, "path") : std::string();
    std::string key;
    if (kind == "add") {
        Json *parent = findParent(doc, path, &key);
        if (!parent)
            throw PatchError("add operation does not apply: doc is missing path: \"" + path + "\"" +
                             kMissing);
        addMember(*parent, key, valueOf(op), "error in add for path: '" + path + "': ");
    } else if (kind == "remove") {
        Json *parent = findParent(doc, path, &key);
        if (!parent)
            throw PatchError("remove operation does not apply: doc is missing path: \"" + path +
                             "\"" + kMissing);
        removeMember(*parent, key, "error in remove for path: '" + path + "': ");
    } else if (kind == "replace") {
        Json *parent = findParent(doc, path, &key);
        if (!parent)
            throw PatchError("replace operation does not apply: doc is missing path: " + path +
                             kMissing);
        if (parent->is_object()) {
            (*parent)[key] = valueOf(op);
        } else {
            long long idx = 0;
            try {
                idx = arrayIndex(key, parent->size(), {});
            } catch (const PatchError &) {
                throw PatchError("replace operation does not apply: doc is missing key: " + path +
                                 kMissing);
            }
            (*parent)[static_cast<std::size_t>(idx)] = valueOf(op);
        }
    } else if (kind == "move" || kind == "copy") {
        std::string from = stringField(op, "from");
        Json *source = findParent(doc, from, &key);
        if (!source)
            throw PatchError(kind + " operation does not apply: doc is missing from path: " + from +
                             kMissing);
        const Json *value =
            getMember(*source, key, "error in " + kind + " for path: '" + key + "': ");
        if (!value) {
            if (kind == "copy")
                throw PatchError(
                    "copy operation does not apply: doc is missing from path: " + from + kMissing);
            throw PatchError("error in move for path: '" + key +
                             "': Unable to remove nonexistent key: " + key + kMissing);
        }
        Json moved = *value;
        if (kind == "move")
            removeMember(*source, key, "error in move for path: '" + key + "': ");
        std::string destKey;
        Json *dest = findParent(doc, path, &destKey);
        if (!dest)
            throw PatchError(kind + " operation does not apply: doc is missing destination path: " +
                             path + kMissing);
        addMember(*dest, destKey, std::move(moved),
                  "error in " + kind + " for path: '" + path + "': ");
    } else if (kind == "test") {
        Json *parent = findParent(doc, path, &key);
        if (!parent)
            throw PatchError("test operation does not apply: is missing path: " + path + kMissing);
        const Json *actual = getMember(*parent, key, "error in test for path: '" + path + "': ");
        Json expected = valueOf(op);
        bool equal = actual ? *actual == expected : expected.is_null();
        if (!equal)
            throw PatchError("testing value " + path + " failed: test failed");
    } else {
        throw PatchError("Unexpected kind: " + kind);
    }
}

} // namespace

Json applyMergePatch(const Json &target, const Json &patch) {
    if (!patch.is_object())
        return patch;
    Json result = target.is_object() ? target : Json::object();
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it->is_null()) {
            result.erase(it.key());
            continue;
        }
        auto existing = result.find(it.key());
        result[it.key()] = applyMergePatch(existing == result.end() ? Json() : *existing, *it);
    }
    return result;
}

Json applyJsonPatch(const Json &target, const Json &patch) {
    if (!patch.is_array())
        throw PatchError(std::string("json: cannot unmarshal ") +
                         (patch.is_object() ? "object" : patch.type_name()) +
                         " into Go value of type jsonpatch.Patch");
    Json doc = target;
    for (const Json &op : patch)
        applyOperation(doc, op);
    return doc;
}

} // namespace kd::sandbox

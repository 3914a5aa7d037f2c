#include "sandbox/selectors.h"

#include <algorithm>

namespace kd::sandbox {

namespace {

// Splits at commas that no backslash escapes; escapes stay in the terms for unescaping later.
std::vector<std::string_view> splitTerms(std::string_view text) {
    std::vector<std::string_view> terms;
    if (text.empty())
        return terms;
    std::size_t start = 0;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (escaped)
            escaped = false;
        else if (text[i] == '\\')
            escaped = true;
        else if (text[i] == ',') {
            terms.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    terms.push_back(text.substr(start));
    return terms;
}

// The leftmost operator splits a term; at one position "!=" and "==" win over "=".
bool splitTerm(std::string_view term, std::string_view *lhs, std::string_view *op,
               std::string_view *rhs) {
    static constexpr std::string_view kOperators[] = {"!=", "==", "="};
    for (std::size_t i = 0; i < term.size(); ++i) {
        for (std::string_view candidate : kOperators) {
            if (term.substr(i, candidate.size()) == candidate) {
                *lhs = term.substr(0, i);
                *op = candidate;
                *rhs = term.substr(i + candidate.size());
                return true;
            }
        }
    }
    return false;
}

// fields.UnescapeValue. Upstream prints the offending rune with %v, i.e. as its number.
bool unescapeValue(std::string_view s, std::string *out, std::string *error) {
    out->clear();
    bool inSlash = false;
    for (char c : s) {
        if (inSlash) {
            if (c != '\\' && c != ',' && c != '=') {
                *error = std::string("invalid field selector: invalid escape sequence: \\") + c;
                return false;
            }
            *out += c;
            inSlash = false;
            continue;
        }
        if (c == '\\') {
            inSlash = true;
        } else if (c == ',' || c == '=') {
            *error = "invalid field selector: unescaped character in value: " +
                     std::to_string(static_cast<int>(c));
            return false;
        } else {
            *out += c;
        }
    }
    if (inSlash) {
        *error = "invalid field selector: invalid escape sequence: \\";
        return false;
    }
    return true;
}

std::vector<std::string> splitPath(const std::string &field) {
    std::vector<std::string> path;
    std::size_t start = 0;
    while (true) {
        std::size_t dot = field.find('.', start);
        path.push_back(
            field.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            return path;
        start = dot + 1;
    }
}

std::string escapeValue(const std::string &value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == ',' || c == '=')
            out += '\\';
        out += c;
    }
    return out;
}

const Json *resolve(const Json &object, const std::vector<std::string> &path) {
    const Json *cur = &object;
    for (const std::string &key : path) {
        if (!cur->is_object())
            return nullptr;
        auto it = cur->find(key);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
    }
    return cur;
}

bool valueEquals(const Json &object, const FieldSelector::Requirement &r) {
    const Json *v = resolve(object, r.path);
    // An Event's "source" field is its reporting component, as the events registry defines it.
    if (v && v->is_object() && r.path.size() == 1 && r.path.front() == "source") {
        const Json &component = at(*v, {"component"});
        v = component.is_string() && !component.get_ref<const std::string &>().empty()
                ? &component
                : resolve(object, {"reportingComponent"});
    }
    if (!v || v->is_null())
        return r.value.empty();
    if (v->is_string())
        return v->get_ref<const std::string &>() == r.value;
    if (v->is_boolean())
        return (v->get<bool>() ? "true" : "false") == r.value;
    if (v->is_number())
        return v->dump() == r.value;
    return false;
}

} // namespace

std::optional<FieldSelector> FieldSelector::parse(std::string_view text, std::string *error) {
    std::string ignored;
    std::string &err = error ? *error : ignored;
    std::vector<std::string_view> parts = splitTerms(text);
    std::sort(parts.begin(), parts.end());
    FieldSelector s;
    for (std::string_view part : parts) {
        if (part.empty())
            continue;
        std::string_view lhs, op, rhs;
        if (!splitTerm(part, &lhs, &op, &rhs)) {
            err = "invalid selector: '" + std::string(text) + "'; can't understand '" +
                  std::string(part) + "'";
            return std::nullopt;
        }
        Requirement r;
        if (!unescapeValue(rhs, &r.value, &err))
            return std::nullopt;
        r.field = std::string(lhs);
        r.negated = op == "!=";
        r.path = splitPath(r.field);
        s.m_requirements.push_back(std::move(r));
    }
    return s;
}

bool FieldSelector::matches(const Json &object) const {
    for (const Requirement &r : m_requirements) {
        if (valueEquals(object, r) == r.negated)
            return false;
    }
    return true;
}

std::string FieldSelector::toString() const {
    std::string out;
    for (const Requirement &r : m_requirements)
        out += (out.empty() ? "" : ",") + r.field + (r.negated ? "!=" : "=") + escapeValue(r.value);
    return out;
}

} // namespace kd::sandbox

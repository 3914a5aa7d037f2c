#include "sandbox/selectors.h"

#include "sandbox/selectorsparse.h"
#include "sandbox/selectorsvalidation.h"

#include <algorithm>

namespace kd::sandbox {

namespace {

using Op = LabelSelector::Op;
using Requirement = LabelSelector::Requirement;

void sortByKey(std::vector<Requirement> &rs) {
    std::stable_sort(rs.begin(), rs.end(),
                     [](const Requirement &a, const Requirement &b) { return a.key < b.key; });
}

bool hasValue(const Requirement &r, const std::string &value) {
    for (const std::string &v : r.values) {
        if (v == value)
            return true;
    }
    return false;
}

const std::string *lookupLabel(const Json &labels, const std::string &key) {
    if (!labels.is_object())
        return nullptr;
    auto it = labels.find(key);
    if (it == labels.end() || !it->is_string())
        return nullptr;
    return &it->get_ref<const std::string &>();
}

bool requirementMatches(const Requirement &r, const Json &labels) {
    const std::string *value = lookupLabel(labels, r.key);
    switch (r.op) {
    case Op::In:
    case Op::Equals:
    case Op::DoubleEquals:
        return value && hasValue(r, *value);
    case Op::NotIn:
    case Op::NotEquals:
        return !value || !hasValue(r, *value);
    case Op::Exists:
        return value != nullptr;
    case Op::DoesNotExist:
        return value == nullptr;
    case Op::GreaterThan:
    case Op::LessThan: {
        long long n = 0;
        if (!value || !parseLabelInteger(*value, &n))
            return false;
        return r.op == Op::GreaterThan ? n > r.number : n < r.number;
    }
    }
    return false;
}

std::string requirementText(const Requirement &r) {
    std::string out = r.op == Op::DoesNotExist ? "!" + r.key : r.key;
    switch (r.op) {
    case Op::Exists:
    case Op::DoesNotExist:
        return out;
    case Op::Equals:
        out += "=";
        break;
    case Op::DoubleEquals:
        out += "==";
        break;
    case Op::NotEquals:
        out += "!=";
        break;
    case Op::In:
        out += " in (";
        break;
    case Op::NotIn:
        out += " notin (";
        break;
    case Op::GreaterThan:
        out += ">";
        break;
    case Op::LessThan:
        out += "<";
        break;
    }
    std::vector<std::string> sorted = r.values;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 0; i < sorted.size(); ++i)
        out += (i ? "," : "") + sorted[i];
    if (r.op == Op::In || r.op == Op::NotIn)
        out += ")";
    return out;
}

} // namespace

std::optional<LabelSelector> LabelSelector::parse(std::string_view text, std::string *error) {
    std::string ignored;
    auto rs = parseLabelRequirements(text, error ? error : &ignored);
    if (!rs)
        return std::nullopt;
    LabelSelector s;
    s.m_requirements = std::move(*rs);
    sortByKey(s.m_requirements);
    return s;
}

std::optional<LabelSelector> LabelSelector::fromJson(const Json &selector, std::string *error) {
    std::string ignored;
    std::string &err = error ? *error : ignored;
    if (selector.is_null())
        return nothing();
    if (!selector.is_object()) {
        err = "a label selector must be an object";
        return std::nullopt;
    }
    LabelSelector s;
    const Json &matchLabels = at(selector, {"matchLabels"});
    if (matchLabels.is_object()) {
        for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it) {
            std::string value = it->is_string() ? it->get<std::string>() : it->dump();
            auto r = makeLabelRequirement(it.key(), Op::Equals, {value}, &err);
            if (!r)
                return std::nullopt;
            s.m_requirements.push_back(std::move(*r));
        }
    }
    const Json &expressions = at(selector, {"matchExpressions"});
    if (expressions.is_array()) {
        for (const Json &e : expressions) {
            std::string opName = str(e, {"operator"});
            Op op;
            if (opName == "In")
                op = Op::In;
            else if (opName == "NotIn")
                op = Op::NotIn;
            else if (opName == "Exists")
                op = Op::Exists;
            else if (opName == "DoesNotExist")
                op = Op::DoesNotExist;
            else {
                err = goQuote(opName) + " is not a valid label selector operator";
                return std::nullopt;
            }
            std::vector<std::string> values;
            for (const Json &v : at(e, {"values"}))
                values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
            auto r = makeLabelRequirement(str(e, {"key"}), op, std::move(values), &err);
            if (!r)
                return std::nullopt;
            s.m_requirements.push_back(std::move(*r));
        }
    }
    sortByKey(s.m_requirements);
    return s;
}

LabelSelector LabelSelector::fromJson(const Json &selector) {
    auto s = fromJson(selector, nullptr);
    return s ? *s : nothing();
}

LabelSelector LabelSelector::fromMap(const Json &labels) {
    LabelSelector s;
    if (!labels.is_object())
        return s;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        s.m_requirements.push_back(
            {it.key(), Op::Equals, {it->is_string() ? it->get<std::string>() : it->dump()}, 0});
    return s; // object keys are already sorted
}

LabelSelector LabelSelector::nothing() {
    LabelSelector s;
    s.m_nothing = true;
    return s;
}

bool LabelSelector::matches(const Json &labels) const {
    if (m_nothing)
        return false;
    for (const Requirement &r : m_requirements) {
        if (!requirementMatches(r, labels))
            return false;
    }
    return true;
}

std::string LabelSelector::toString() const {
    std::string out;
    for (const Requirement &r : m_requirements)
        out += (out.empty() ? "" : ",") + requirementText(r);
    return out;
}

} // namespace kd::sandbox

#pragma once
// Label and field selectors as the API server evaluates them (k8s.io/apimachinery/pkg/labels and
// pkg/fields). Both are parsed once and matched many times: a list call may test 10,000 objects,
// so matching walks the JSON without allocating.

#include "sandbox/json.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::sandbox {

class LabelSelector final {
public:
    enum class Op {
        Exists,
        DoesNotExist,
        Equals,
        DoubleEquals,
        NotEquals,
        In,
        NotIn,
        GreaterThan,
        LessThan
    };
    struct Requirement {
        std::string key;
        Op op = Op::Exists;
        std::vector<std::string> values; // as given; toString() prints them sorted
        long long number = 0;            // the operand of GreaterThan / LessThan
    };

    LabelSelector() = default; // matches everything

    // "a=b,c!=d,e in (x,y),f notin (z),g,!h", also "==", ">" and "<". On failure returns nullopt
    // and upstream's complete message in *error, e.g.
    // `unable to parse requirement: found '', expected: identifier` or
    // `found ',', expected: !, identifier, or 'end of string'`.
    static std::optional<LabelSelector> parse(std::string_view text, std::string *error);
    // metav1.LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist).
    // A null selector selects nothing and an empty one everything (LabelSelectorAsSelector);
    // an invalid one selects nothing, and the second overload says why.
    static LabelSelector fromJson(const Json &selector);
    static std::optional<LabelSelector> fromJson(const Json &selector, std::string *error);
    // A plain map of labels (Service and ReplicationController selectors); empty selects
    // everything.
    static LabelSelector fromMap(const Json &labels);
    static LabelSelector nothing();

    bool matches(const Json &labels) const; // labels: an object or null
    bool empty() const { return !m_nothing && m_requirements.empty(); }
    bool matchesNothing() const { return m_nothing; }
    // Canonical text, as Scale.status.selector shows it: "app=web,tier in (a,b)".
    std::string toString() const;
    const std::vector<Requirement> &requirements() const { return m_requirements; }

private:
    std::vector<Requirement> m_requirements; // sorted by key
    bool m_nothing = false;
};

class FieldSelector final {
public:
    struct Requirement {
        std::string field; // dotted path, e.g. "spec.nodeName"
        bool negated = false;
        std::string value;
        std::vector<std::string> path; // field split at dots, resolved once
    };

    FieldSelector() = default; // matches everything

    // "metadata.name=web,status.phase!=Running" with =, == and !=; values may escape \ , and =
    // with a backslash. Failure texts as upstream, e.g.
    // `invalid selector: 'a'; can't understand 'a'`.
    static std::optional<FieldSelector> parse(std::string_view text, std::string *error);

    // A missing field compares as the empty string; numbers and booleans as their JSON text.
    bool matches(const Json &object) const;
    bool empty() const { return m_requirements.empty(); }
    std::string toString() const;
    const std::vector<Requirement> &requirements() const { return m_requirements; }

private:
    std::vector<Requirement> m_requirements; // sorted by term text, as upstream sorts them
};

} // namespace kd::sandbox

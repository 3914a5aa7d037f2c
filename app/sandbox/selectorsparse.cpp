// The label selector grammar (k8s.io/apimachinery/pkg/labels/selector.go): a lexer, a
// recursive-descent parser with upstream's two token contexts, and NewRequirement's validation.
#include "sandbox/selectorsparse.h"

#include "sandbox/selectorsvalidation.h"

#include <algorithm>
#include <charconv>

namespace kd::sandbox {

using Op = LabelSelector::Op;
using Requirement = LabelSelector::Requirement;

namespace {

enum class Tok {
    Error,
    End,
    ClosedPar,
    Comma,
    Not,
    DoubleEquals,
    Equals,
    Greater,
    Identifier,
    In,
    Less,
    NotEquals,
    NotIn,
    OpenPar
};

struct Token {
    Tok tok;
    std::string literal;
};

bool isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isSpecial(char c) {
    return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

std::optional<Tok> symbolToken(std::string_view s) {
    if (s == ")")
        return Tok::ClosedPar;
    if (s == ",")
        return Tok::Comma;
    if (s == "!")
        return Tok::Not;
    if (s == "==")
        return Tok::DoubleEquals;
    if (s == "=")
        return Tok::Equals;
    if (s == ">")
        return Tok::Greater;
    if (s == "<")
        return Tok::Less;
    if (s == "!=")
        return Tok::NotEquals;
    if (s == "(")
        return Tok::OpenPar;
    if (s == "in")
        return Tok::In;
    if (s == "notin")
        return Tok::NotIn;
    return std::nullopt;
}

// Splits the text the way upstream's lexer does: runs of special symbols form the longest
// operator they spell, anything else up to a symbol or blank is an identifier or keyword.
std::vector<Token> lex(std::string_view s) {
    std::vector<Token> out;
    std::size_t pos = 0;
    while (true) {
        while (pos < s.size() && isWhitespace(s[pos]))
            ++pos;
        if (pos >= s.size()) {
            out.push_back({Tok::End, {}});
            return out;
        }
        if (isSpecial(s[pos])) {
            std::optional<Tok> best;
            std::size_t bestLen = 0;
            std::size_t len = 0;
            while (pos + len < s.size() && isSpecial(s[pos + len])) {
                ++len;
                if (auto t = symbolToken(s.substr(pos, len))) {
                    best = t;
                    bestLen = len;
                } else if (best) {
                    break;
                }
            }
            if (!best) {
                out.push_back({Tok::Error, "error expected: keyword found '" +
                                               std::string(s.substr(pos, len)) + "'"});
                pos += len;
                continue;
            }
            out.push_back({*best, std::string(s.substr(pos, bestLen))});
            pos += bestLen;
            continue;
        }
        std::size_t start = pos;
        while (pos < s.size() && !isSpecial(s[pos]) && !isWhitespace(s[pos]))
            ++pos;
        std::string word(s.substr(start, pos - start));
        Tok t = Tok::Identifier;
        if (word == "in")
            t = Tok::In;
        else if (word == "notin")
            t = Tok::NotIn;
        out.push_back({t, std::move(word)});
    }
}

// Collects field.Error texts and renders them like field.ErrorList.ToAggregate().
std::string aggregate(const std::vector<std::string> &errors) {
    if (errors.size() == 1)
        return errors.front();
    std::string out = "[";
    for (std::size_t i = 0; i < errors.size(); ++i)
        out += (i ? ", " : "") + errors[i];
    return out + "]";
}

std::string goStringSlice(const std::vector<std::string> &values) {
    std::string out = "[]string{";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + goQuote(values[i]);
    return out + "}";
}

} // namespace

bool parseLabelInteger(const std::string &text, long long *out) {
    const char *first = text.data();
    const char *last = text.data() + text.size();
    if (first != last && *first == '+')
        ++first;
    auto [ptr, ec] = std::from_chars(first, last, *out);
    return ec == std::errc() && ptr == last && first != last;
}

// labels.NewRequirement: validates and builds one requirement. Errors name the fields the way
// upstream's nil-rooted paths print them ("key", "values[0][app]").
std::optional<Requirement> makeLabelRequirement(const std::string &key, Op op,
                                                std::vector<std::string> values,
                                                std::string *error) {
    std::vector<std::string> errors;
    if (auto e = qualifiedNameErrors(key); !e.empty())
        errors.push_back(invalidValueError("key", key, e));
    Requirement r{key, op, std::move(values), 0};
    switch (op) {
    case Op::In:
    case Op::NotIn:
        if (r.values.empty())
            errors.push_back("values: Invalid value: " + goStringSlice(r.values) +
                             ": for 'in', 'notin' operators, values set can't be empty");
        break;
    case Op::Equals:
    case Op::DoubleEquals:
    case Op::NotEquals:
        if (r.values.size() != 1)
            errors.push_back("values: Invalid value: " + goStringSlice(r.values) +
                             ": exact-match compatibility requires one single value");
        break;
    case Op::Exists:
    case Op::DoesNotExist:
        if (!r.values.empty())
            errors.push_back("values: Invalid value: " + goStringSlice(r.values) +
                             ": values set must be empty for exists and does not exist");
        break;
    case Op::GreaterThan:
    case Op::LessThan:
        if (r.values.size() != 1)
            errors.push_back("values: Invalid value: " + goStringSlice(r.values) +
                             ": for 'Gt', 'Lt' operators, exactly one value is required");
        for (std::size_t i = 0; i < r.values.size(); ++i) {
            if (!parseLabelInteger(r.values[i], &r.number))
                errors.push_back("values[" + std::to_string(i) +
                                 "]: Invalid value: " + goQuote(r.values[i]) +
                                 ": for 'Gt', 'Lt' operators, the value must be an integer");
        }
        break;
    }
    for (std::size_t i = 0; i < r.values.size(); ++i) {
        if (auto e = labelValueErrors(r.values[i]); !e.empty())
            errors.push_back(invalidValueError("values[" + std::to_string(i) + "][" + key + "]",
                                               r.values[i], e));
    }
    if (!errors.empty()) {
        *error = aggregate(errors);
        return std::nullopt;
    }
    return r;
}

// A recursive-descent parser over the token list, with upstream's two contexts: in Values
// context the keywords `in` and `notin` are ordinary identifiers.
namespace {

class Parser {
public:
    explicit Parser(std::vector<Token> tokens)
        : m_tokens(std::move(tokens)) {}

    std::optional<std::vector<Requirement>> parse(std::string *error) {
        std::vector<Requirement> out;
        while (true) {
            auto [tok, lit] = lookahead(true);
            if (tok == Tok::End)
                return out;
            if (tok != Tok::Identifier && tok != Tok::Not) {
                *error = "found '" + lit + "', expected: !, identifier, or 'end of string'";
                return std::nullopt;
            }
            std::string inner;
            auto r = parseRequirement(&inner);
            if (!r) {
                *error = "unable to parse requirement: " + inner;
                return std::nullopt;
            }
            out.push_back(std::move(*r));
            auto [t, l] = consume(true);
            if (t == Tok::End)
                return out;
            if (t != Tok::Comma) {
                *error = "found '" + l + "', expected: ',' or 'end of string'";
                return std::nullopt;
            }
            auto [t2, l2] = lookahead(true);
            if (t2 != Tok::Identifier && t2 != Tok::Not) {
                *error = "found '" + l2 + "', expected: identifier after ','";
                return std::nullopt;
            }
        }
    }

private:
    std::pair<Tok, std::string> lookahead(bool values) const {
        const Token &t = m_tokens[std::min(m_pos, m_tokens.size() - 1)];
        Tok tok = t.tok;
        if (values && (tok == Tok::In || tok == Tok::NotIn))
            tok = Tok::Identifier;
        return {tok, t.literal};
    }
    std::pair<Tok, std::string> consume(bool values) {
        auto r = lookahead(values);
        if (m_pos < m_tokens.size() - 1)
            ++m_pos;
        return r;
    }

    std::optional<Requirement> parseRequirement(std::string *error) {
        bool negated = false;
        auto [tok, key] = consume(true);
        if (tok == Tok::Not) {
            negated = true;
            std::tie(tok, key) = consume(true);
        }
        if (tok != Tok::Identifier) {
            *error = "found '" + key + "', expected: identifier";
            return std::nullopt;
        }
        if (auto e = qualifiedNameErrors(key); !e.empty()) {
            *error = invalidValueError({}, key, e);
            return std::nullopt;
        }
        // "!key" is complete by itself: whatever follows it is the caller's to judge.
        if (negated)
            return makeLabelRequirement(key, Op::DoesNotExist, {}, error);
        if (Tok next = lookahead(true).first; next == Tok::End || next == Tok::Comma)
            return makeLabelRequirement(key, Op::Exists, {}, error);
        Op op = Op::Exists;
        auto [opTok, opLit] = consume(false);
        switch (opTok) {
        case Tok::In:
            op = Op::In;
            break;
        case Tok::NotIn:
            op = Op::NotIn;
            break;
        case Tok::Equals:
            op = Op::Equals;
            break;
        case Tok::DoubleEquals:
            op = Op::DoubleEquals;
            break;
        case Tok::NotEquals:
            op = Op::NotEquals;
            break;
        case Tok::Greater:
            op = Op::GreaterThan;
            break;
        case Tok::Less:
            op = Op::LessThan;
            break;
        default:
            *error = "found '" + opLit + "', expected: in, notin, =, ==, !=, gt, lt";
            return std::nullopt;
        }
        std::vector<std::string> values;
        bool ok = (op == Op::In || op == Op::NotIn) ? parseValues(&values, error)
                                                    : parseExactValue(&values, error);
        if (!ok)
            return std::nullopt;
        return makeLabelRequirement(key, op, std::move(values), error);
    }

    static void insertSorted(std::vector<std::string> &set, std::string value) {
        auto it = std::lower_bound(set.begin(), set.end(), value);
        if (it == set.end() || *it != value)
            set.insert(it, std::move(value));
    }

    bool parseValues(std::vector<std::string> *values, std::string *error) {
        auto [tok, lit] = consume(true);
        if (tok != Tok::OpenPar) {
            *error = "found '" + lit + "' expected: '('";
            return false;
        }
        auto [first, firstLit] = lookahead(true);
        if (first == Tok::ClosedPar) {
            consume(true);
            values->push_back("");
            return true;
        }
        if (first != Tok::Identifier && first != Tok::Comma) {
            *error = "found '" + firstLit + "', expected: ',', ')' or identifier";
            return false;
        }
        if (!parseIdentifiers(values, error))
            return false;
        if (consume(true).first != Tok::ClosedPar) {
            *error = "found '" + firstLit + "', expected: ')'";
            return false;
        }
        return true;
    }

    // A comma separated list in which empty entries stand for the empty value.
    bool parseIdentifiers(std::vector<std::string> *values, std::string *error) {
        while (true) {
            auto [tok, lit] = consume(true);
            if (tok == Tok::Identifier) {
                insertSorted(*values, lit);
                auto [next, nextLit] = lookahead(true);
                if (next == Tok::Comma)
                    continue;
                if (next == Tok::ClosedPar)
                    return true;
                *error = "found '" + nextLit + "', expected: ',' or ')'";
                return false;
            }
            if (tok == Tok::Comma) {
                if (values->empty())
                    insertSorted(*values, "");
                auto [next, unused] = lookahead(true);
                if (next == Tok::ClosedPar) {
                    insertSorted(*values, "");
                    return true;
                }
                if (next == Tok::Comma)
                    insertSorted(*values, "");
                continue;
            }
            *error = "found '" + lit + "', expected: ',', or identifier";
            return false;
        }
    }

    bool parseExactValue(std::vector<std::string> *values, std::string *error) {
        auto [next, unused] = lookahead(true);
        if (next == Tok::End || next == Tok::Comma) {
            values->push_back("");
            return true;
        }
        auto [tok, lit] = consume(true);
        if (tok == Tok::Identifier) {
            values->push_back(lit);
            return true;
        }
        *error = "found '" + lit + "', expected: identifier";
        return false;
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
};

} // namespace

std::optional<std::vector<Requirement>> parseLabelRequirements(std::string_view text,
                                                               std::string *error) {
    Parser parser(lex(text));
    return parser.parse(error);
}

} // namespace kd::sandbox

// Helpers shared by the register_<area>.cpp files of the _core module: numpy arrays in and out
// without copies, key columns to dense ids, and the core's result and options structs bound from
// one list of their members (`CM_RESULT`, `CM_OPTIONS`).
//
// Columns come in as numpy arrays prepared by the pure-Python layer (custometrics/_frames.py):
// int64 or float64, C-contiguous, already checked for nulls where numpy cannot hold them. The
// pybind11 `array_t<T, c_style>` arguments used by the bindings accept such an array as it is
// (no copy); anything else is converted once by numpy.
#pragma once

#include "custometrics/date.hpp"
#include "custometrics/error.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/nanoseconds.hpp"
#include "custometrics/streaming.hpp"
#include "custometrics/transactions.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <boost/preprocessor/seq/for_each.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace custometrics::python {

namespace py = pybind11;

/// A C-contiguous int64 numpy array (a copy is made only when the input is not one already).
using int64_array = py::array_t<std::int64_t, py::array::c_style>;
/// A C-contiguous float64 numpy array; other numeric dtypes are converted.
using float64_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

/// An unsigned argument `Name` (threads, bins, k, a seed) of a bound function, read as a `T`.
/// Its caster (end of file) takes a Python int (or `__index__`, not a bool) in 0..max of `T`;
/// else an InputError names the argument and value where pybind11 would dump the signatures.
/// Example: `f(count<"threads"> threads)`; `f(-1)` raises InputError "threads: must be a whole
/// number in 0..4294967295, got -1".
template <std::size_t N> struct arg_name {
    char text[N]{};
    constexpr arg_name(const char (&s)[N]) { std::copy_n(s, N, text); } // NOLINT: implicit
};
template <arg_name Name, class T = unsigned> struct count {
    T value = 0;
    operator T() const noexcept { return value; } // NOLINT: read as the number it is
};
using threads_arg = count<"threads">;
using seed_arg = count<"seed", std::uint64_t>;

/// `src` as an unsigned `T` by the one rule of every unsigned argument (`count`) and options
/// member (`set_number`): a Python int (or `__index__`, not a bool) in 0..max of `T`; else an
/// InputError naming `name` and the value, e.g. "threads: must be a whole number in
/// 0..4294967295, got -1".
template <class T> T whole_number(py::handle src, const char* name) {
    if (!PyBool_Check(src.ptr()) && PyIndex_Check(src.ptr())) {
        const auto i = py::reinterpret_steal<py::object>(PyNumber_Index(src.ptr()));
        const unsigned long long v = i ? PyLong_AsUnsignedLongLong(i.ptr()) : 0;
        if (i && !PyErr_Occurred() && v <= std::numeric_limits<T>::max()) return static_cast<T>(v);
        PyErr_Clear();
    }
    const std::string got = py::repr(src), max = std::to_string(std::numeric_limits<T>::max());
    throw invalid_argument(name, "must be a whole number in 0.." + max + ", got " + got, got);
}

/// A span over a 1-D numpy array (no copy).
template <class T, int Flags> std::span<const T> as_span(const py::array_t<T, Flags>& a) {
    if (a.ndim() != 1)
        throw invalid_argument("expected a 1-D array, got " + std::to_string(a.ndim()) +
                               " dimensions");
    return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

/// The numpy array a `std::span<const T>` argument is read from (its caster, end of file): an
/// int64 array as it is, other element types converted from any numeric dtype.
template <class T>
using span_array = py::array_t<T, py::array::c_style |
                                      (std::is_same_v<T, std::int64_t> ? 0 : py::array::forcecast)>;

/// Calls `f` without the GIL and returns its result: a core call between the conversion of its
/// arguments from Python and of its result to Python, e.g.
/// `return to_numpy(without_gil([&] { return p_alive(params, x, tx, T); }));`.
template <class F> auto without_gil(F&& f) {
    py::gil_scoped_release nogil;
    return f();
}

/// The extra of `m.def` that calls a bound function without the GIL (its arguments converted
/// before, its result after): for a core call over spans and core types, e.g.
/// `m.def("gini", [](std::span<const double> v, threads_arg t) { return gini(v, t); },
/// release_gil(), ...)`.
using release_gil = py::call_guard<py::gil_scoped_release>;

/// The text `write(std::ostream&)` writes: a core writer's output (text, JSON, HTML) for Python,
/// e.g. `written([&](std::ostream& s) { output::write_text(s, report); })`.
template <class Write> std::string written(Write&& write) {
    std::ostringstream s;
    std::forward<Write>(write)(s);
    return s.str();
}

/// Moves `v` into a numpy array that owns it through a capsule (no copy).
template <class T, class A> py::array_t<T> to_numpy(std::vector<T, A>&& v) {
    using vec = std::vector<T, A>;
    auto* owned = new vec(std::move(v));
    py::capsule owner(owned, [](void* p) noexcept { delete static_cast<vec*>(p); });
    return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

/// A numpy column of `member` of every element of `v` (as `R`): the fields of a vector of
/// result rows as columns.
template <class R, class T, class M>
py::array_t<R> numpy_gather(const std::vector<T>& v, M T::*member) {
    std::vector<R> out(v.size());
    for (std::size_t k = 0; k < v.size(); ++k)
        out[k] = static_cast<R>(v[k].*member);
    return to_numpy(std::move(out));
}

/// Whether a Python object is a missing value: None, a float NaN, pandas.NA or pandas.NaT.
inline bool is_missing(PyObject* o) {
    if (o == Py_None) return true;
    if (PyFloat_Check(o)) return std::isnan(PyFloat_AS_DOUBLE(o));
    const std::string_view type = Py_TYPE(o)->tp_name;
    return type.ends_with("NAType") || type.ends_with("NaTType");
}

/// A key column mapped to dense ids, ids ascending with the keys.
struct keyed_column {
    key_index index;
    std::vector<entity_id> ids;
};

/// Maps a key column to dense ids: an int64 array through `key_index::from_integers` (without
/// the GIL), an object array of str through `key_index::insert` then `sort`. `column` names the
/// column in errors: a null or non-str element of an object array is a `data_error` naming it
/// and the row.
inline keyed_column encode_keys(const py::array& keys, const std::string& column,
                                unsigned threads) {
    if (keys.ndim() != 1)
        throw invalid_argument(column + ": expected a 1-D column, got " +
                               std::to_string(keys.ndim()) + " dimensions");
    keyed_column out;
    if (keys.dtype().kind() != 'O') {
        const auto ints = int64_array::ensure(keys);
        if (!ints) throw py::error_already_set();
        const auto span = as_span(ints);
        py::gil_scoped_release nogil;
        auto [index, ids] = key_index::from_integers(span, threads);
        out.index = std::move(index);
        out.ids = std::move(ids);
        return out;
    }
    const auto objects = py::array::ensure(keys, py::array::c_style);
    const auto n = static_cast<std::size_t>(objects.shape(0));
    auto* const* items = static_cast<PyObject* const*>(objects.data());
    out.ids.resize(n);
    std::string scratch; // the bytes of the last surrogate-escaped key (see below)
    auto key_at = [&](std::size_t i) {
        PyObject* o = items[i];
        if (!PyUnicode_Check(o)) {
            const std::string row = column + ": row " + std::to_string(i);
            const std::string value = py::repr(o);
            throw data_error(is_missing(o)
                                 ? row + " is missing (" + value + "): null keys are not allowed"
                                 : row + ": key " + value + " is a " + Py_TYPE(o)->tp_name +
                                       ", expected str (keys are all integers or all "
                                       "strings)");
        }
        Py_ssize_t len = 0;
        const char* s = PyUnicode_AsUTF8AndSize(o, &len);
        if (s != nullptr) return std::string_view(s, static_cast<std::size_t>(len));
        // A str with lone surrogates: the surrogateescape form of bytes that are not UTF-8,
        // as keys_array returns them for a Latin-1 CSV read by read_transactions. Its key is
        // those original bytes, so a log read from a file summarizes as the CLI does. (The view
        // is used by insert_strings before the next call, so one scratch buffer is enough.)
        PyErr_Clear();
        const auto bytes = py::reinterpret_steal<py::object>(
            PyUnicode_AsEncodedString(o, "utf-8", "surrogateescape"));
        if (!bytes) {
            PyErr_Clear();
            const std::string value = py::repr(o);
            throw data_error(column + ": row " + std::to_string(i) + ": key " + value +
                                 " holds a lone surrogate that is not an escaped byte; keys "
                                 "must be text that encodes to UTF-8",
                             error_context{column, i, {}, {}, value});
        }
        scratch.assign(PyBytes_AS_STRING(bytes.ptr()),
                       static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.ptr())));
        return std::string_view(scratch);
    };
    out.index.insert_strings(n, key_at, out.ids.data());
    const std::vector<entity_id> remap = out.index.sort();
    for (auto& id : out.ids)
        id = remap[id];
    return out;
}

/// A transaction log given as columns (customer and order keys int64 or object str, time
/// ticks with `ticks_per_second`, amount and cost float64), viewed without copies once the key
/// columns are encoded to dense ids (`encode_keys`, naming `customer_column`, `order_column`).
struct log_columns {
    keyed_column customers;
    std::optional<keyed_column> orders;
    transaction_view view; ///< over the members above: not copyable

    log_columns(const py::array& customer, const int64_array& time, std::int64_t ticks_per_second,
                const float64_array& amount, const std::optional<float64_array>& cost,
                const std::optional<py::array>& order, const std::string& customer_column,
                const std::string& order_column = "order", unsigned threads = 0)
        : customers(encode_keys(customer, customer_column, threads)) {
        if (order) orders = encode_keys(*order, order_column, threads);
        view.customer = customers.ids;
        view.n_customers = customers.index.size();
        view.customer_keys = &customers.index;
        view.time = as_span(time);
        view.ticks_per_second = ticks_per_second;
        view.amount = as_span(amount);
        if (cost) view.cost = as_span(*cost);
        if (orders) view.order = orders->ids;
    }
    log_columns(const log_columns&) = delete;
    log_columns& operator=(const log_columns&) = delete;
};

/// An object array of str holding the string key of `id(i)` at i = 0..n-1.
template <class Id> py::array string_keys_array(const key_index& index, std::size_t n, Id id) {
    py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
    auto** items = static_cast<PyObject**>(out.mutable_data());
    for (std::size_t i = 0; i < n; ++i) {
        const std::string_view k = index.string_key(id(i));
        // surrogateescape: bytes that are not UTF-8 (a Latin-1 CSV) survive the round trip.
        PyObject* s =
            PyUnicode_DecodeUTF8(k.data(), static_cast<Py_ssize_t>(k.size()), "surrogateescape");
        if (s == nullptr) throw py::error_already_set();
        Py_XDECREF(items[i]);
        items[i] = s;
    }
    return out;
}

/// Calls `analyse(keys)` on int64 keys `by`, or `analyse(ids, index)` on object str keys
/// (encoded into `strings`), without the GIL: the row paths of the core (`pareto_of_rows`,
/// `aggregate_by_key`, ...) take both.
template <class F>
auto by_rows(const py::array& by, const std::string& by_column, unsigned threads,
             std::optional<keyed_column>& strings, F analyse) {
    if (by.ndim() == 1 && by.dtype().kind() != 'O') {
        const auto ints = int64_array::ensure(by);
        if (!ints) throw py::error_already_set();
        const auto k = as_span(ints);
        py::gil_scoped_release nogil;
        return analyse(k);
    }
    strings = encode_keys(by, by_column, threads);
    py::gil_scoped_release nogil;
    return analyse(std::span<const entity_id>(strings->ids), strings->index);
}

/// The keys of a row path's result as numpy: int64 keys, or the str keys of the ids `k`.
inline py::array keys_of(const std::optional<keyed_column>& strings, column<std::int64_t>&& k) {
    if (!strings) return to_numpy(std::move(k));
    return string_keys_array(strings->index, k.size(),
                             [&k](std::size_t i) { return static_cast<entity_id>(k[i]); });
}

/// The keys of `index` in id order: an int64 array, or an object array of str.
inline py::array keys_array(const key_index& index) {
    if (index.type() != key_index::key_type::string) {
        const auto k = index.integer_keys();
        return int64_array(static_cast<py::ssize_t>(k.size()), k.data());
    }
    return string_keys_array(index, index.size(),
                             [](std::size_t i) { return static_cast<entity_id>(i); });
}

/// What the entry points on a CSV path (`summarize_csv`, `pareto_csv`, `rfm_csv`) share: the
/// reader's options and the memory limit in bytes (streaming.hpp).
struct csv_call {
    csv_options csv;
    std::size_t memory_limit = 0;
};

/// The `csv_call` of the arguments `delimiter`, `memory_limit` (a size such as "512M" for
/// `parse_memory_size`, naming argument "memory_limit"; None: 0, read whole) and `threads`.
inline csv_call csv_call_of(char delimiter, const std::optional<std::string>& memory_limit,
                            unsigned threads) {
    csv_call c;
    c.csv.delimiter = delimiter;
    c.csv.threads = threads;
    if (memory_limit) c.memory_limit = parse_memory_size(*memory_limit, "memory_limit");
    return c;
}

// ---- a bound result class: its members listed once
//
// `CM_RESULT(m, T, "Name", "doc", a, b, c)` binds the core's result struct `T` as the
// Python class `Name` with, from that one list of members:
// - read-only attributes: scalars, strings, optionals, nested bound results and lists of them as
//   pybind11 casts them, an enum with a `to_string` as its name (str), else its code; a vector of
//   numbers or enums as a numpy array (an enum as its integer codes; a `column<T>` as a read-only
//   view kept alive by the result, a `std::vector` as a copy), a vector of optional numbers as
//   float64 with NaN where missing;
// - pickling (`__getstate__`/`__setstate__`: the members as a tuple, columns copied), unless a
//   member cannot be read back (a `std::string_view`);
// - `__repr__`: the class name and its members, columns as `<n values>`, nested results as
//   `<Name>`, one member a line when it does not fit 100 characters;
// - `_fields`: the tuple of the member names (the pickling test walks it).
// It returns the `py::class_` for the class's own methods and computed properties:
//
//     CM_RESULT(m, whale_result, "Whale", "A whale curve.", entity, value, total)
//         .def("curve", &whale_result::curve, py::arg("max_points"));

/// One member of a result class `T`: its Python name and its pointer (see `CM_RESULT`).
template <class T, class M> struct field_t {
    const char* name;
    M T::*member;
};
template <class T, class M> field_t<T, M> field(const char* name, M T::*member) {
    return {name, member};
}

template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_number_vector : std::false_type {};
template <class T, class A>
struct is_number_vector<std::vector<T, A>>
    : std::bool_constant<std::is_arithmetic_v<T> || std::is_enum_v<T>> {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};

/// Numbers and enums: the elements a vector hands to numpy (an enum as its underlying type).
template <class T> constexpr bool is_number_v = std::is_arithmetic_v<T> || std::is_enum_v<T>;
template <class T>
using numpy_type_t = typename std::conditional_t<std::is_enum_v<T>, std::underlying_type<T>,
                                                 std::type_identity<T>>::type;

/// The Python value of `v`, a member of the result held by `self` (see `CM_RESULT`), or any
/// core value by the same rules (`self` is needed only for a `column<T>`).
template <class M> py::object to_python(const M& v, py::handle self = {}) {
    if constexpr (is_vector<M>::value) {
        using T = typename M::value_type;
        if constexpr (is_number_v<T>) {
            using U = numpy_type_t<T>;
            const auto* data = reinterpret_cast<const U*>(v.data());
            const auto n = static_cast<py::ssize_t>(v.size());
            if constexpr (std::is_same_v<M, std::vector<T>>) return py::array_t<U>(n, data);
            py::array_t<U> view(n, data, self); // a column<T>: no copy
            view.attr("setflags")(py::arg("write") = false);
            return view;
        } else if constexpr (is_optional<T>::value) {
            std::vector<double> out(v.size(), std::nan(""));
            for (std::size_t i = 0; i < v.size(); ++i)
                if (v[i]) out[i] = static_cast<double>(*v[i]);
            return to_numpy(std::move(out));
        } else {
            return py::cast(v);
        }
    } else if constexpr (is_optional<M>::value) {
        return v ? to_python(*v, self) : py::none();
    } else if constexpr (std::is_enum_v<M>) {
        if constexpr (requires { to_string(v); }) return py::str(std::string(to_string(v)));
        return py::int_(static_cast<numpy_type_t<M>>(v)); // an enum without names: its code
    } else if constexpr (std::is_same_v<M, std::string_view>) {
        return py::str(std::string(v));
    } else {
        return py::cast(v);
    }
}

/// The pickled form of a member: a numpy copy of a vector of numbers (an enum column as its
/// integer codes), an enum as its code, anything else as pybind11 casts it (a bound member
/// class is picklable too).
template <class M> py::object state(const M& v) {
    if constexpr (is_number_vector<M>::value) {
        using U = numpy_type_t<typename M::value_type>;
        return py::array_t<U>(static_cast<py::ssize_t>(v.size()),
                              reinterpret_cast<const U*>(v.data()));
    } else if constexpr (std::is_enum_v<M>) {
        return py::int_(static_cast<numpy_type_t<M>>(v));
    } else if constexpr (is_optional<M>::value) {
        return v ? state(*v) : py::none();
    } else {
        return py::cast(v);
    }
}
/// Reads a member back from its pickled form (see `state`).
template <class M> void restore(py::handle h, M& v) {
    if constexpr (is_number_vector<M>::value) {
        using U = numpy_type_t<typename M::value_type>;
        const auto a = py::array_t<U, py::array::c_style | py::array::forcecast>::ensure(h);
        if (!a) throw py::error_already_set();
        const auto u = as_span(a);
        v.resize(u.size());
        std::copy(u.begin(), u.end(), reinterpret_cast<U*>(v.data()));
    } else if constexpr (std::is_enum_v<M>) {
        v = static_cast<M>(h.cast<numpy_type_t<M>>());
    } else if constexpr (is_optional<M>::value) {
        if (h.is_none()) {
            v.reset();
        } else {
            restore(h, v.emplace());
        }
    } else {
        v = h.cast<M>();
    }
}

/// A member value in a `__repr__`: columns and lists by their length, nested results by name.
inline std::string repr_of(const py::object& v) {
    if (py::isinstance<py::array>(v))
        return "<" + std::to_string(v.cast<py::array>().size()) + " values>";
    if (py::isinstance<py::list>(v)) return "<" + std::to_string(py::len(v)) + " values>";
    if (v.is_none() || py::isinstance<py::bool_>(v) || py::isinstance<py::int_>(v) ||
        py::isinstance<py::float_>(v) || py::isinstance<py::str>(v) || py::isinstance<py::tuple>(v))
        return py::repr(v);
    return "<" + py::type::of(v).attr("__name__").cast<std::string>() + ">";
}
/// `Name(a=1, b=<3 values>)`, or one member a line when that is longer than 100 characters.
inline std::string repr_lines(const std::string& name,
                              const std::vector<std::pair<const char*, std::string>>& members) {
    std::string line = name + "(";
    for (std::size_t i = 0; i < members.size(); ++i)
        line += (i ? ", " : "") + std::string(members[i].first) + "=" + members[i].second;
    if (line.size() + 1 <= 100) return line + ")";
    std::string lines = name + "(\n";
    for (const auto& [field, value] : members)
        lines += "    " + std::string(field) + "=" + value + ",\n";
    return lines + ")";
}

/// Binds the result class `T` from its members (see `CM_RESULT`, which writes the `field`s).
template <class T, class... M>
py::class_<T> bind_result(py::handle scope, const char* name, const std::string& doc,
                          field_t<T, M>... fields) {
    py::class_<T> cls(scope, name, doc.c_str()); // pybind11 copies the docstring
    (cls.def_property_readonly(fields.name,
                               [p = fields.member](const py::object& self) {
                                   return to_python(self.cast<const T&>().*p, self);
                               }),
     ...);
    cls.attr("_fields") = py::make_tuple(fields.name...);
    cls.def("__repr__", [fields...](const py::object& self) {
        const T& r = self.cast<const T&>();
        const std::string cls_name = py::type::of(self).attr("__name__").cast<std::string>();
        return repr_lines(cls_name, {{fields.name, repr_of(to_python(r.*fields.member, self))}...});
    });
    if constexpr ((!std::is_same_v<M, std::string_view> && ...))
        cls.def(py::pickle(
            [fields...](const T& r) { return py::make_tuple(state(r.*fields.member)...); },
            [fields...](const py::tuple& t) {
                if (t.size() != sizeof...(M))
                    throw invalid_argument("state",
                                           "expected a tuple of " + std::to_string(sizeof...(M)) +
                                               " members, got " + std::to_string(t.size()));
                T r{};
                std::size_t i = 0;
                (restore(t[i++], r.*fields.member), ...);
                return r;
            }));
    return cls;
}

/// Sets a number member of an options struct from `value`: an integer for an integral member
/// (`whole_number` for an unsigned one), any real number for a floating-point one; else
/// `invalid_argument` naming the member (`name`), e.g. "customers: must be a whole number in
/// 0..18446744073709551615, got -3".
template <class N> void set_number(N& member, const char* name, py::handle value) {
    try {
        if constexpr (std::is_unsigned_v<N>) {
            member = whole_number<N>(value, name);
        } else {
            member = value.cast<N>();
        }
    } catch (const py::cast_error&) {
        const std::string got = py::repr(value);
        const char* what =
            std::is_integral_v<N> ? "expected an integer, got " : "expected a number, got ";
        throw invalid_argument(name, what + got, got);
    }
}

/// Binds the options struct `T` as a Python class whose members read and write (a number
/// member through `set_number`), built by keyword from the core's defaults:
/// `Name(pre_days=90)`; an unknown name raises AttributeError; `_asdict()` gives the members
/// by name (see `CM_OPTIONS`).
template <class T, class... M>
py::class_<T> bind_options(py::handle scope, const char* name, const std::string& doc,
                           field_t<T, M>... fields) {
    py::class_<T> cls(scope, name, doc.c_str());
    cls.def(py::init([](const py::kwargs& given) {
        py::object out = py::cast(T{});
        for (const auto& [member, value] : given)
            out.attr(member) = value;
        return out.cast<T>();
    }));
    const auto member = [&cls](auto f) {
        using N = std::remove_cvref_t<decltype(std::declval<T&>().*f.member)>;
        if constexpr (std::is_arithmetic_v<N> && !std::is_same_v<N, bool>)
            cls.def_property(
                f.name, [p = f.member](const T& t) { return t.*p; },
                [f](T& t, py::handle v) { set_number(t.*f.member, f.name, v); });
        else
            cls.def_readwrite(f.name, f.member);
    };
    (member(fields), ...);
    cls.def("_asdict", [fields...](const T& t) {
        py::dict out;
        ((out[fields.name] = py::cast(t.*fields.member)), ...);
        return out;
    });
    return cls;
}

#define CM_RESULT_FIELD_(r, T, member)                                                             \
    , ::custometrics::python::field(BOOST_PP_STRINGIZE(member), &T::member)
/// Binds the result struct `T` as the Python class `name` from its members, each named once
/// (see `bind_result`).
#define CM_RESULT(scope, T, name, doc, ...)                                                        \
    ::custometrics::python::bind_result<T>(                                                        \
        scope, name,                                                                               \
        doc BOOST_PP_SEQ_FOR_EACH(CM_RESULT_FIELD_, T, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__)))
/// Binds the options struct `T` as the Python class `name` from its members, each named once
/// (see `bind_options`).
#define CM_OPTIONS(scope, T, name, doc, ...)                                                       \
    ::custometrics::python::bind_options<T>(                                                       \
        scope, name,                                                                               \
        doc BOOST_PP_SEQ_FOR_EACH(CM_RESULT_FIELD_, T, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__)))

/// Binds `<name>_json` and `<name>_text`: what the core's writers `output::write_json` (one
/// JSON object) and `output::write_text` print of a `T`, the output of `custometrics <command>`
/// with and without `--format json`, e.g. `CM_WRITERS(m, programme_result, "programme",
/// "programme")`. A macro, so that the writers are looked up where it is used.
#define CM_WRITERS(scope, T, name, command)                                                        \
    scope.def(                                                                                     \
        name "_json",                                                                              \
        [](const T& r) {                                                                           \
            return ::custometrics::python::written([&](std::ostream& s) {                          \
                ::custometrics::detail::write_json_object(                                         \
                    s, [&](auto& w) { ::custometrics::output::write_json(w, r); });                \
            });                                                                                    \
        },                                                                                         \
        ::pybind11::arg("result"), "The JSON of `custometrics " command " --format json`.");       \
    scope.def(                                                                                     \
        name "_text",                                                                              \
        [](const T& r) {                                                                           \
            return ::custometrics::python::written(                                                \
                [&](std::ostream& s) { ::custometrics::output::write_text(s, r); });               \
        },                                                                                         \
        ::pybind11::arg("result"), "The text of `custometrics " command "`.")

void register_summary(py::module_& m);
void register_aggregate(py::module_& m);
void register_io(py::module_& m);
void register_pareto(py::module_& m);
void register_break_even(py::module_& m);
void register_retention(py::module_& m);
void register_loyalty(py::module_& m);
void register_segments(py::module_& m);
void register_spark(py::module_& m);
void register_pareto_sketch(py::module_& m);
void register_report(py::module_& m);

} // namespace custometrics::python

namespace pybind11::detail {
/// A `std::span<const T>` argument (T: double, int64, uint32) over a 1-D numpy array: read as the
/// `span_array<T>` argument it replaces would be, and kept alive until the call returns; an
/// array of another dimension raises InputError as `as_span` does. A core function taking
/// spans can so be bound directly, e.g. `m.def("gini", &gini_of, py::call_guard<...>())`.
template <class T> struct type_caster<std::span<const T>> {
    PYBIND11_TYPE_CASTER(std::span<const T>, const_name("numpy.ndarray"));
    bool load(handle src, bool convert) {
        using array = custometrics::python::span_array<T>;
        if (!convert && !array::check_(src)) return false;
        array a = array::ensure(src);
        if (!a) return false;
        loader_life_support::add_patient(a); // a converted copy lives as long as the call
        value = custometrics::python::as_span(a);
        return true;
    }
};

template <custometrics::python::arg_name Name, class T>
struct type_caster<custometrics::python::count<Name, T>> {
    using count_type = custometrics::python::count<Name, T>;
    PYBIND11_TYPE_CASTER(count_type, const_name("int"));
    bool load(handle src, bool /*convert*/) {
        value.value = custometrics::python::whole_number<T>(src, Name.text);
        return true;
    }
    static handle cast(const count_type& c, return_value_policy, handle) {
        return PyLong_FromUnsignedLongLong(c.value);
    }
};
} // namespace pybind11::detail

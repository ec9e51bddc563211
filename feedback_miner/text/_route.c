/*
 * The two inner loops of jieba's accurate mode, compiled: the word graph of a
 * sentence (which dictionary words start at each character) and the most
 * probable path through it. feedback_miner.text.route calls them in place of
 * jieba.Tokenizer.get_DAG and jieba.Tokenizer.calc; every value they produce
 * is the one those methods produce (the same floating-point operations in the
 * same order), so the tokens are the same. The package works without this
 * module: it is built when a C compiler is there and used when it imports.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* log(value) as Python's math.log gives it: for a positive int that fits a double,
 * the C library's log of that double; anything else goes through math.log itself
 * (the same figure, or the same error). */
static int
python_log(PyObject *value, double *out)
{
    if (PyLong_CheckExact(value)) {
        double x = PyLong_AsDouble(value);
        if (x > 0.0) {
            *out = log(x);
            return 0;
        }
        PyErr_Clear(); /* too large for a double, or not positive: math.log decides */
    }
    PyObject *math = PyImport_ImportModule("math");
    if (math == NULL) {
        return -1;
    }
    PyObject *result = PyObject_CallMethod(math, "log", "O", value);
    Py_DECREF(math);
    if (result == NULL) {
        return -1;
    }
    *out = PyFloat_AsDouble(result);
    Py_DECREF(result);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static int
append_index(PyObject *list, Py_ssize_t index)
{
    PyObject *number = PyLong_FromSsize_t(index);
    if (number == NULL) {
        return -1;
    }
    int failed = PyList_Append(list, number);
    Py_DECREF(number);
    return failed;
}

/* dag(sentence, freq) -> {k: [end, ...]}: for each position k, the last index of every
 * prefix of sentence[k:] that freq holds with a true frequency, found while the prefixes
 * stay in freq; [k] when there is none. */
static PyObject *
route_dag(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "dag(sentence, freq) takes a str and a dict");
        return NULL;
    }
    PyObject *sentence = args[0], *freq = args[1];
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    PyObject *graph = PyDict_New();
    if (graph == NULL) {
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ends = PyList_New(0);
        if (ends == NULL) {
            goto error;
        }
        for (Py_ssize_t i = k; i < n; i++) {
            PyObject *fragment = PyUnicode_Substring(sentence, k, i + 1);
            if (fragment == NULL) {
                Py_DECREF(ends);
                goto error;
            }
            PyObject *count = PyDict_GetItemWithError(freq, fragment); /* borrowed */
            Py_DECREF(fragment);
            if (count == NULL) {
                if (PyErr_Occurred()) {
                    Py_DECREF(ends);
                    goto error;
                }
                break;
            }
            int word = PyObject_IsTrue(count);
            if (word < 0 || (word && append_index(ends, i) < 0)) {
                Py_DECREF(ends);
                goto error;
            }
        }
        if (PyList_GET_SIZE(ends) == 0 && append_index(ends, k) < 0) {
            Py_DECREF(ends);
            goto error;
        }
        PyObject *key = PyLong_FromSsize_t(k);
        if (key == NULL) {
            Py_DECREF(ends);
            goto error;
        }
        int failed = PyDict_SetItem(graph, key, ends);
        Py_DECREF(key);
        Py_DECREF(ends);
        if (failed) {
            goto error;
        }
    }
    return graph;
error:
    Py_DECREF(graph);
    return NULL;
}

static int
set_route(PyObject *route, Py_ssize_t index, PyObject *score, Py_ssize_t end)
{
    PyObject *key = PyLong_FromSsize_t(index);
    PyObject *last = PyLong_FromSsize_t(end);
    PyObject *pair = (key && last && score) ? PyTuple_Pack(2, score, last) : NULL;
    int failed = pair == NULL || PyDict_SetItem(route, key, pair) < 0;
    Py_XDECREF(key);
    Py_XDECREF(last);
    Py_XDECREF(pair);
    return failed ? -1 : 0;
}

/* calc(sentence, dag, route, freq, logtotal): route[idx] = (score, end) of the best
 * path from idx, for idx from the end back to 0; route[n] = (0, 0). The score of
 * ending a word at x is (log(freq.get(word) or 1) - logtotal) + route[x + 1][0], and
 * the best is the largest (score, x), the later end winning a tie. */
static PyObject *
route_calc(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyDict_Check(args[2]) || !PyDict_Check(args[3]) || !PyFloat_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError,
                        "calc(sentence, dag, route, freq, logtotal) takes a str, three dicts "
                        "and a float");
        return NULL;
    }
    PyObject *sentence = args[0], *graph = args[1], *route = args[2], *freq = args[3];
    double logtotal = PyFloat_AS_DOUBLE(args[4]);
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    double *best = PyMem_New(double, n + 1);
    Py_ssize_t *ends = PyMem_New(Py_ssize_t, n + 1);
    if (best == NULL || ends == NULL) {
        PyMem_Free(best);
        PyMem_Free(ends);
        return PyErr_NoMemory();
    }
    best[n] = 0.0;
    ends[n] = 0;
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        PyObject *key = PyLong_FromSsize_t(idx);
        if (key == NULL) {
            goto error;
        }
        PyObject *candidates = PyDict_GetItemWithError(graph, key); /* borrowed */
        Py_DECREF(key);
        if (candidates == NULL || !PyList_Check(candidates) ||
            PyList_GET_SIZE(candidates) == 0) {
            if (!PyErr_Occurred()) {
                PyErr_Format(PyExc_ValueError, "dag has no list of ends at %zd", idx);
            }
            goto error;
        }
        int found = 0;
        double top = 0.0;
        Py_ssize_t top_end = 0;
        for (Py_ssize_t c = 0; c < PyList_GET_SIZE(candidates); c++) {
            Py_ssize_t x = PyLong_AsSsize_t(PyList_GET_ITEM(candidates, c));
            if (x == -1 && PyErr_Occurred()) {
                goto error;
            }
            if (x < idx || x >= n) {
                PyErr_Format(PyExc_ValueError, "dag end %zd is outside the sentence", x);
                goto error;
            }
            PyObject *word = PyUnicode_Substring(sentence, idx, x + 1);
            if (word == NULL) {
                goto error;
            }
            PyObject *count = PyDict_GetItemWithError(freq, word); /* borrowed */
            Py_DECREF(word);
            if (count == NULL && PyErr_Occurred()) {
                goto error;
            }
            int truth = count == NULL ? 0 : PyObject_IsTrue(count);
            if (truth < 0) {
                goto error;
            }
            double weight = 0.0; /* log(1) */
            if (truth && python_log(count, &weight) < 0) {
                goto error;
            }
            double score = weight - logtotal + best[x + 1];
            if (!found || score > top || (score == top && x > top_end)) {
                top = score;
                top_end = x;
                found = 1;
            }
        }
        best[idx] = top;
        ends[idx] = top_end;
    }
    /* the route as jieba fills it: the last position first, with two ints, then back to 0 */
    PyObject *zero = PyLong_FromLong(0);
    int failed = set_route(route, n, zero, 0);
    Py_XDECREF(zero);
    if (failed) {
        goto error;
    }
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        PyObject *score = PyFloat_FromDouble(best[idx]);
        failed = set_route(route, idx, score, ends[idx]);
        Py_XDECREF(score);
        if (failed) {
            goto error;
        }
    }
    PyMem_Free(best);
    PyMem_Free(ends);
    Py_RETURN_NONE;
error:
    PyMem_Free(best);
    PyMem_Free(ends);
    return NULL;
}

static PyMethodDef route_methods[] = {
    {"dag", (PyCFunction)(void (*)(void))route_dag, METH_FASTCALL,
     "dag(sentence, freq) -> dict: jieba.Tokenizer.get_DAG of sentence over freq."},
    {"calc", (PyCFunction)(void (*)(void))route_calc, METH_FASTCALL,
     "calc(sentence, dag, route, freq, logtotal): jieba.Tokenizer.calc, filling route."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef_Slot route_slots[] = {
    {0, NULL},
};

static struct PyModuleDef route_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "feedback_miner.text._route",
    .m_doc = "jieba's word graph and best path, compiled (see feedback_miner.text.route).",
    .m_size = 0,
    .m_methods = route_methods,
    .m_slots = route_slots,
};

PyMODINIT_FUNC
PyInit__route(void)
{
    return PyModuleDef_Init(&route_module);
}

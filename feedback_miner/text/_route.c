/*
 * The inner loops of jieba's accurate mode, compiled: the word graph of a
 * sentence (which dictionary words start at each character), the most probable
 * path through it, and the hidden Markov model that cuts the runs of characters
 * the dictionary leaves one by one. feedback_miner.text.route calls them in
 * place of jieba.Tokenizer's get_DAG, calc and __cut_DAG and of finalseg.cut's
 * Viterbi search; every value they produce is the one jieba's Python produces
 * (the same floating-point operations in the same order, the same choice
 * between equal scores), so the tokens are the same. The package works without
 * this module: it is built when a C compiler is there and used when it imports.
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


/* The best path of a sentence without building jieba's dicts: for each position, the
 * last index of the word the best path takes from there (route[idx][1] of calc). The
 * graph is walked as dag walks it and each choice is made as calc makes it. */
static Py_ssize_t *
best_ends(PyObject *sentence, PyObject *freq, double logtotal)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    double *best = PyMem_New(double, n + 1);
    Py_ssize_t *ends = PyMem_New(Py_ssize_t, n + 1);
    /* for the position being chosen for: whether a word of the dictionary ends at i,
     * and the log of its frequency */
    double *weights = PyMem_New(double, n + 1);
    char *word_ends = PyMem_New(char, n + 1);
    if (best == NULL || ends == NULL || weights == NULL || word_ends == NULL) {
        PyErr_NoMemory();
        goto error;
    }
    best[n] = 0.0;
    ends[n] = 0;
    for (Py_ssize_t k = n - 1; k >= 0; k--) {
        Py_ssize_t last = k - 1; /* the last i the walk looked at */
        for (Py_ssize_t i = k; i < n; i++) {
            PyObject *fragment = PyUnicode_Substring(sentence, k, i + 1);
            if (fragment == NULL) {
                goto error;
            }
            PyObject *count = PyDict_GetItemWithError(freq, fragment); /* borrowed */
            Py_DECREF(fragment);
            if (count == NULL) {
                if (PyErr_Occurred()) {
                    goto error;
                }
                break;
            }
            int word = PyObject_IsTrue(count);
            if (word < 0) {
                goto error;
            }
            word_ends[i] = (char)word;
            if (word && python_log(count, &weights[i]) < 0) {
                goto error;
            }
            last = i;
        }
        int found = 0;
        double top = 0.0;
        Py_ssize_t top_end = 0;
        for (Py_ssize_t x = k; x <= last; x++) {
            if (!word_ends[x]) {
                continue;
            }
            double score = weights[x] - logtotal + best[x + 1];
            if (!found || score > top || (score == top && x > top_end)) {
                top = score;
                top_end = x;
                found = 1;
            }
        }
        if (!found) {
            /* no word starts here: the character alone, whose frequency jieba takes as 1
             * (the walk would have found it as a word if the dictionary gave it one) */
            top = 0.0 - logtotal + best[k + 1];
            top_end = k;
        }
        best[k] = top;
        ends[k] = top_end;
    }
    PyMem_Free(best);
    PyMem_Free(weights);
    PyMem_Free(word_ends);
    return ends;
error:
    PyMem_Free(best);
    PyMem_Free(ends);
    PyMem_Free(weights);
    PyMem_Free(word_ends);
    return NULL;
}

static int
append_slice(PyObject *out, PyObject *sentence, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *piece = PyUnicode_Substring(sentence, start, end);
    if (piece == NULL) {
        return -1;
    }
    int failed = PyList_Append(out, piece);
    Py_DECREF(piece);
    return failed;
}

/* A run of one-character words: itself when it is one character; unknown(run) when the
 * dictionary does not hold it with a true frequency; else each character. */
static int
flush_run(PyObject *out, PyObject *sentence, Py_ssize_t start, Py_ssize_t end, PyObject *freq,
          PyObject *unknown)
{
    if (end - start == 1) {
        return append_slice(out, sentence, start, end);
    }
    PyObject *run = PyUnicode_Substring(sentence, start, end);
    if (run == NULL) {
        return -1;
    }
    PyObject *count = PyDict_GetItemWithError(freq, run); /* borrowed */
    int known = count == NULL ? 0 : PyObject_IsTrue(count);
    if ((count == NULL && PyErr_Occurred()) || known < 0) {
        Py_DECREF(run);
        return -1;
    }
    if (known) {
        Py_DECREF(run);
        for (Py_ssize_t i = start; i < end; i++) {
            if (append_slice(out, sentence, i, i + 1) < 0) {
                return -1;
            }
        }
        return 0;
    }
    PyObject *words = PyObject_CallOneArg(unknown, run);
    Py_DECREF(run);
    if (words == NULL) {
        return -1;
    }
    if (!PyList_Check(words)) {
        Py_DECREF(words);
        PyErr_SetString(PyExc_TypeError, "cut's unknown(run) must return a list of str");
        return -1;
    }
    Py_ssize_t size = PyList_GET_SIZE(out);
    int failed = PyList_SetSlice(out, size, size, words);
    Py_DECREF(words);
    return failed;
}

/* cut(sentence, freq, logtotal, unknown) -> list of str: jieba's accurate mode on one
 * block, the best path's words in order, each run of one-character words handed to
 * flush_run. */
static PyObject *
route_cut(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyUnicode_Check(args[0]) || !PyDict_Check(args[1]) ||
        !PyFloat_Check(args[2]) || !PyCallable_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError,
                        "cut(sentence, freq, logtotal, unknown) takes a str, a dict, a float "
                        "and a function");
        return NULL;
    }
    PyObject *sentence = args[0], *freq = args[1], *unknown = args[3];
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    Py_ssize_t *ends = best_ends(sentence, freq, PyFloat_AS_DOUBLE(args[2]));
    if (ends == NULL) {
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        PyMem_Free(ends);
        return NULL;
    }
    Py_ssize_t run = -1; /* where the pending run of one-character words starts */
    for (Py_ssize_t x = 0; x < n;) {
        Py_ssize_t y = ends[x] + 1;
        if (y - x == 1) {
            if (run < 0) {
                run = x;
            }
        }
        else {
            if (run >= 0 && flush_run(out, sentence, run, x, freq, unknown) < 0) {
                goto error;
            }
            run = -1;
            if (append_slice(out, sentence, x, y) < 0) {
                goto error;
            }
        }
        x = y;
    }
    if (run >= 0 && flush_run(out, sentence, run, n, freq, unknown) < 0) {
        goto error;
    }
    PyMem_Free(ends);
    return out;
error:
    PyMem_Free(ends);
    Py_DECREF(out);
    return NULL;
}

/* hmm(text, states, start, trans, emit, previous, floor) -> list of str: the words of the
 * most probable state sequence of a hidden Markov model over text's characters, as jieba's
 * finalseg gives them. states is a str of one-character states (BMES); start[y] and
 * trans[y0][y] are log-probabilities, emit[y][char] too (floor when absent); previous[y] the
 * str of states that may come before y. A state wins over the earlier ones of previous[y]
 * with a larger score, or the same score and a larger state; the last state is E or S,
 * the same way. B starts a word, E ends it, S is a word alone; what is left open after
 * the last E or S is one more word. */
#define HMM_STATES 4

static int
state_index(PyObject *states, Py_UCS4 state)
{
    for (int i = 0; i < HMM_STATES; i++) {
        if (PyUnicode_READ_CHAR(states, i) == state) {
            return i;
        }
    }
    return -1;
}

static int
get_float(PyObject *table, PyObject *key, double floor, double *out)
{
    PyObject *value = PyDict_GetItemWithError(table, key); /* borrowed */
    if (value == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        *out = floor;
        return 0;
    }
    *out = PyFloat_AsDouble(value);
    return (*out == -1.0 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *
route_hmm(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) ||
        PyUnicode_GET_LENGTH(args[1]) != HMM_STATES || !PyDict_Check(args[2]) ||
        !PyDict_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[5]) ||
        !PyFloat_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError,
                        "hmm(text, states, start, trans, emit, previous, floor) takes a str, a "
                        "str of 4 states, four dicts and a float");
        return NULL;
    }
    PyObject *text = args[0], *states = args[1], *start = args[2], *trans = args[3];
    PyObject *emit = args[4], *previous = args[5];
    double floor = PyFloat_AS_DOUBLE(args[6]);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "hmm needs a text of one character or more");
        return NULL;
    }
    PyObject *emitted[HMM_STATES] = {NULL}, *moves[HMM_STATES] = {NULL};
    double first[HMM_STATES], move[HMM_STATES][HMM_STATES];
    int before[HMM_STATES][2];
    Py_UCS4 names[HMM_STATES];
    double *score = NULL;
    signed char *back = NULL, *path = NULL;
    PyObject *out = NULL;
    for (int y = 0; y < HMM_STATES; y++) {
        names[y] = PyUnicode_READ_CHAR(states, y);
        PyObject *key = PyUnicode_Substring(states, y, y + 1);
        if (key == NULL) {
            goto done;
        }
        emitted[y] = PyDict_GetItemWithError(emit, key);
        moves[y] = PyDict_GetItemWithError(trans, key);
        PyObject *from = PyDict_GetItemWithError(previous, key);
        int failed = get_float(start, key, NAN, &first[y]);
        Py_DECREF(key);
        if (failed || PyErr_Occurred()) {
            goto done;
        }
        if (emitted[y] == NULL || moves[y] == NULL || from == NULL || isnan(first[y]) ||
            !PyDict_Check(emitted[y]) || !PyDict_Check(moves[y]) || !PyUnicode_Check(from) ||
            PyUnicode_GET_LENGTH(from) != 2) {
            PyErr_SetString(PyExc_ValueError,
                            "hmm's tables need every state in start, trans, emit and previous "
                            "(two states before each)");
            goto done;
        }
        for (int j = 0; j < 2; j++) {
            before[y][j] = state_index(states, PyUnicode_READ_CHAR(from, j));
            if (before[y][j] < 0) {
                PyErr_SetString(PyExc_ValueError, "hmm's previous names a state not in states");
                goto done;
            }
        }
    }
    for (int y0 = 0; y0 < HMM_STATES; y0++) {
        for (int y = 0; y < HMM_STATES; y++) {
            PyObject *key = PyUnicode_Substring(states, y, y + 1);
            if (key == NULL) {
                goto done;
            }
            int failed = get_float(moves[y0], key, floor, &move[y0][y]);
            Py_DECREF(key);
            if (failed) {
                goto done;
            }
        }
    }
    score = PyMem_New(double, n * HMM_STATES);
    back = PyMem_New(signed char, n * HMM_STATES);
    path = PyMem_New(signed char, n);
    if (score == NULL || back == NULL || path == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *character = PyUnicode_Substring(text, t, t + 1);
        if (character == NULL) {
            goto done;
        }
        for (int y = 0; y < HMM_STATES; y++) {
            double em;
            if (get_float(emitted[y], character, floor, &em) < 0) {
                Py_DECREF(character);
                goto done;
            }
            if (t == 0) {
                score[y] = first[y] + em;
                back[y] = -1;
                continue;
            }
            int chosen = -1;
            double top = 0.0;
            for (int j = 0; j < 2; j++) {
                int y0 = before[y][j];
                double value = score[(t - 1) * HMM_STATES + y0] + move[y0][y] + em;
                if (chosen < 0 || value > top || (value == top && names[y0] > names[chosen])) {
                    top = value;
                    chosen = y0;
                }
            }
            score[t * HMM_STATES + y] = top;
            back[t * HMM_STATES + y] = (signed char)chosen;
        }
        Py_DECREF(character);
    }
    int state = -1;
    double top = 0.0;
    const Py_UCS4 finals[2] = {'E', 'S'};
    for (int j = 0; j < 2; j++) {
        int y = state_index(states, finals[j]);
        if (y < 0) {
            PyErr_SetString(PyExc_ValueError, "hmm's states need E and S");
            goto done;
        }
        double value = score[(n - 1) * HMM_STATES + y];
        if (state < 0 || value > top || (value == top && names[y] > names[state])) {
            top = value;
            state = y;
        }
    }
    /* the states from the last back to the first, then the words they mark */
    for (Py_ssize_t t = n - 1; t >= 0; t--) {
        path[t] = (signed char)state;
        if (t > 0) {
            state = back[t * HMM_STATES + state];
        }
    }
    out = PyList_New(0);
    if (out == NULL) {
        goto done;
    }
    Py_ssize_t begin = 0, next = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 mark = names[(int)path[i]];
        if (mark == 'B') {
            begin = i;
        }
        else if (mark == 'E' || mark == 'S') {
            if (append_slice(out, text, mark == 'E' ? begin : i, i + 1) < 0) {
                Py_CLEAR(out);
                goto done;
            }
            next = i + 1;
        }
    }
    if (next < n && append_slice(out, text, next, n) < 0) {
        Py_CLEAR(out);
    }
done:
    PyMem_Free(score);
    PyMem_Free(back);
    PyMem_Free(path);
    return out;
}

static PyMethodDef route_methods[] = {
    {"dag", (PyCFunction)(void (*)(void))route_dag, METH_FASTCALL,
     "dag(sentence, freq) -> dict: jieba.Tokenizer.get_DAG of sentence over freq."},
    {"calc", (PyCFunction)(void (*)(void))route_calc, METH_FASTCALL,
     "calc(sentence, dag, route, freq, logtotal): jieba.Tokenizer.calc, filling route."},
    {"cut", (PyCFunction)(void (*)(void))route_cut, METH_FASTCALL,
     "cut(sentence, freq, logtotal, unknown) -> list: jieba's accurate mode on one block."},
    {"hmm", (PyCFunction)(void (*)(void))route_hmm, METH_FASTCALL,
     "hmm(text, states, start, trans, emit, previous, floor) -> list: finalseg's words."},
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

/*
 * The sentiment segmenter's word search, compiled (see feedback_miner/sentiment/segment.py).
 *
 * The segmenter finds its vocabulary in a text with pyahocorasick's
 * ``Automaton.iter_long``: left to right, the longest word at each point,
 * without overlaps. That library keeps the children of a trie node in a list
 * it scans one by one; the root has thousands, so every character that starts
 * no word (a comma, a digit) costs a scan of all of them. This module builds
 * the same trie and failure links from the automaton's words, with each
 * node's children in order of their character (the root's in a table indexed
 * by character), and walks it by the same steps, so that it returns exactly
 * what ``list(automaton.iter_long(text))`` returns.
 *
 * The walk, as the installed pyahocorasick (2.x) takes it: follow the text
 * from the current node; remember the last node that ends a word. When the
 * text cannot go on, report that word and start again at the root just after
 * it. Without one, and when an earlier step reached a node whose failure link
 * ends a word (the "fail-over" node, remembered only while no word was
 * found), go back to that step and continue from the failure link. Otherwise
 * follow failure links until a node that can take the character, or give the
 * character up at the root. At the end of the text the word found, if any, is
 * reported (a remembered fail-over is not).
 *
 * Module functions:
 *   build(items) -> capsule       items: a sequence of (word, payload)
 *   longest(capsule, text) -> list of (end index, payload)
 *   dump(capsule) -> (bytes, list)  the arrays, and each node's payload or None
 *   load(bytes, list) -> capsule    what dump gave, checked (a pickle loads fast)
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CAPSULE_NAME "feedback_miner.sentiment._longest.Words"
#define ROOT_TABLE 65536 /* the root's children of the Basic Multilingual Plane */

typedef struct {
    Py_ssize_t nodes;
    Py_UCS4 *label;       /* the character on the edge into each node */
    int32_t *first;       /* each node's first child: children have consecutive ids */
    int32_t *count;       /* how many children, in order of their label */
    int32_t *fail;        /* failure link; -1 for the root */
    PyObject **payload;   /* what a word ending here stands for; NULL when none ends here */
    int32_t *root_table;  /* root child by character below ROOT_TABLE, -1 for none */
} Words;

static void
words_free(Words *w)
{
    if (w == NULL) {
        return;
    }
    if (w->payload != NULL) {
        for (Py_ssize_t i = 0; i < w->nodes; i++) {
            Py_XDECREF(w->payload[i]);
        }
    }
    PyMem_Free(w->label);
    PyMem_Free(w->first);
    PyMem_Free(w->count);
    PyMem_Free(w->fail);
    PyMem_Free(w->payload);
    PyMem_Free(w->root_table);
    PyMem_Free(w);
}

static void fill_root_table(Words *w);

static void
capsule_destructor(PyObject *capsule)
{
    words_free((Words *)PyCapsule_GetPointer(capsule, CAPSULE_NAME));
}

/* The child of ``node`` on character ``c``, or -1. */
static inline int32_t
child_of(const Words *w, int32_t node, Py_UCS4 c)
{
    if (node == 0 && c < ROOT_TABLE) {
        return w->root_table[c];
    }
    int32_t low = w->first[node];
    int32_t end = low + w->count[node];
    int32_t high = end; /* the first child not below c is in [low, high] */
    while (high - low > 8) {
        int32_t middle = low + (high - low) / 2;
        if (w->label[middle] < c) {
            low = middle + 1;
        }
        else {
            high = middle;
        }
    }
    for (; low < end; low++) {
        if (w->label[low] == c) {
            return low;
        }
        if (w->label[low] > c) {
            break;
        }
    }
    return -1;
}

/* --- building ------------------------------------------------------------ */

/* A hash table from (parent, character) to the temporary node id of the child. */
typedef struct {
    uint64_t *keys; /* (parent + 1) << 21 | character; 0 marks an empty slot */
    int32_t *values;
    size_t mask;
} Edges;

static inline size_t
edge_slot(uint64_t key, size_t mask)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key & mask;
}

/* Sort (character << 32 | temporary id) pairs: children by character. */
static int
compare_pairs(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static PyObject *
longest_build(PyObject *module, PyObject *items)
{
    PyObject *sequence = PySequence_Fast(items, "build() needs a sequence of (word, payload) pairs");
    if (sequence == NULL) {
        return NULL;
    }
    Py_ssize_t n_items = PySequence_Fast_GET_SIZE(sequence);
    PyObject **entries = PySequence_Fast_ITEMS(sequence);
    Py_ssize_t characters = 0;
    for (Py_ssize_t k = 0; k < n_items; k++) {
        PyObject *pair = entries[k];
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(pair, 0))) {
            PyErr_Format(PyExc_TypeError,
                         "build() needs (word, payload) pairs with a str word; item %zd is %R",
                         k, pair);
            Py_DECREF(sequence);
            return NULL;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(pair, 0));
        if (length == 0) {
            PyErr_Format(PyExc_ValueError, "build() cannot take an empty word (item %zd)", k);
            Py_DECREF(sequence);
            return NULL;
        }
        characters += length;
    }
    if (characters >= INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "build() was given too many characters");
        Py_DECREF(sequence);
        return NULL;
    }
    Py_ssize_t capacity = characters + 1; /* nodes at most: the root and one per character */
    size_t slots = 16;
    while (slots < (size_t)capacity * 2) {
        slots <<= 1;
    }
    Edges edges = {PyMem_Calloc(slots, sizeof(uint64_t)), PyMem_Malloc(slots * sizeof(int32_t)),
                   slots - 1};
    int32_t *parent = PyMem_Malloc(capacity * sizeof(int32_t));
    Py_UCS4 *letter = PyMem_Malloc(capacity * sizeof(Py_UCS4));
    PyObject **value = PyMem_Calloc(capacity, sizeof(PyObject *));
    int32_t *group_start = NULL, *order = NULL, *new_id = NULL;
    uint64_t *pairs = NULL;
    Words *w = NULL;
    if (edges.keys == NULL || edges.values == NULL || parent == NULL || letter == NULL ||
        value == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* 1. the trie, with temporary ids in order of creation (the root is 0) */
    int32_t made = 1;
    parent[0] = -1;
    letter[0] = 0;
    for (Py_ssize_t k = 0; k < n_items; k++) {
        PyObject *word = PyTuple_GET_ITEM(entries[k], 0);
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        int32_t node = 0;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            uint64_t key = ((uint64_t)(node + 1) << 21) | c;
            size_t slot = edge_slot(key, edges.mask);
            while (edges.keys[slot] != 0 && edges.keys[slot] != key) {
                slot = (slot + 1) & edges.mask;
            }
            if (edges.keys[slot] == 0) {
                edges.keys[slot] = key;
                edges.values[slot] = made;
                parent[made] = node;
                letter[made] = c;
                made++;
            }
            node = edges.values[slot];
        }
        PyObject *payload = PyTuple_GET_ITEM(entries[k], 1);
        Py_INCREF(payload);
        Py_XSETREF(value[node], payload); /* a word given twice keeps its last payload */
    }
    PyMem_Free(edges.keys);
    PyMem_Free(edges.values);
    edges.keys = NULL;
    edges.values = NULL;

    /* 2. each node's children, sorted by character */
    group_start = PyMem_Calloc((size_t)made + 1, sizeof(int32_t));
    pairs = PyMem_Malloc(((size_t)made + 1) * sizeof(uint64_t));
    order = PyMem_Malloc((size_t)made * sizeof(int32_t));
    new_id = PyMem_Malloc((size_t)made * sizeof(int32_t));
    w = PyMem_Calloc(1, sizeof(Words));
    if (group_start == NULL || pairs == NULL || order == NULL || new_id == NULL || w == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (int32_t t = 1; t < made; t++) {
        group_start[parent[t] + 1]++;
    }
    for (int32_t t = 0; t < made; t++) {
        group_start[t + 1] += group_start[t];
    }
    {
        int32_t *fill = PyMem_Malloc((size_t)made * sizeof(int32_t));
        if (fill == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        memcpy(fill, group_start, (size_t)made * sizeof(int32_t));
        for (int32_t t = 1; t < made; t++) {
            pairs[fill[parent[t]]++] = ((uint64_t)letter[t] << 32) | (uint32_t)t;
        }
        PyMem_Free(fill);
    }
    for (int32_t t = 0; t < made; t++) {
        int32_t size = group_start[t + 1] - group_start[t];
        if (size > 1) {
            qsort(pairs + group_start[t], (size_t)size, sizeof(uint64_t), compare_pairs);
        }
    }

    /* 3. breadth-first ids: the children of a node get consecutive ids */
    w->nodes = made;
    w->label = PyMem_Malloc((size_t)made * sizeof(Py_UCS4));
    w->first = PyMem_Malloc((size_t)made * sizeof(int32_t));
    w->count = PyMem_Malloc((size_t)made * sizeof(int32_t));
    w->fail = PyMem_Malloc((size_t)made * sizeof(int32_t));
    w->payload = PyMem_Calloc((size_t)made, sizeof(PyObject *));
    w->root_table = PyMem_Malloc(ROOT_TABLE * sizeof(int32_t));
    if (w->label == NULL || w->first == NULL || w->count == NULL || w->fail == NULL ||
        w->payload == NULL || w->root_table == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    order[0] = 0;
    new_id[0] = 0;
    int32_t next_id = 1;
    for (int32_t n = 0; n < made; n++) {
        int32_t t = order[n]; /* the node with breadth-first id n */
        w->label[n] = letter[t];
        w->payload[n] = value[t];
        value[t] = NULL; /* the reference moves */
        w->first[n] = next_id;
        w->count[n] = group_start[t + 1] - group_start[t];
        for (int32_t g = group_start[t]; g < group_start[t + 1]; g++) {
            int32_t child = (int32_t)(uint32_t)pairs[g];
            new_id[child] = next_id;
            order[next_id++] = child;
        }
    }
    fill_root_table(w);

    /* 4. failure links, in breadth-first order: the longest proper suffix in the trie */
    w->fail[0] = -1;
    for (int32_t n = 0; n < made; n++) {
        for (int32_t child = w->first[n]; child < w->first[n] + w->count[n]; child++) {
            if (n == 0) {
                w->fail[child] = 0;
                continue;
            }
            Py_UCS4 c = w->label[child];
            int32_t state = w->fail[n];
            while (state != 0 && child_of(w, state, c) < 0) {
                state = w->fail[state];
            }
            int32_t target = child_of(w, state, c);
            w->fail[child] = target >= 0 ? target : 0;
        }
    }
    PyMem_Free(parent);
    PyMem_Free(letter);
    PyMem_Free(value);
    PyMem_Free(group_start);
    PyMem_Free(pairs);
    PyMem_Free(order);
    PyMem_Free(new_id);
    Py_DECREF(sequence);
    PyObject *capsule = PyCapsule_New(w, CAPSULE_NAME, capsule_destructor);
    if (capsule == NULL) {
        words_free(w);
    }
    return capsule;

fail:
    if (value != NULL) {
        for (Py_ssize_t t = 0; t < capacity; t++) {
            Py_XDECREF(value[t]);
        }
    }
    PyMem_Free(edges.keys);
    PyMem_Free(edges.values);
    PyMem_Free(parent);
    PyMem_Free(letter);
    PyMem_Free(value);
    PyMem_Free(group_start);
    PyMem_Free(pairs);
    PyMem_Free(order);
    PyMem_Free(new_id);
    words_free(w);
    Py_DECREF(sequence);
    return NULL;
}

/* Fill the root's table from its children. */
static void
fill_root_table(Words *w)
{
    for (Py_ssize_t c = 0; c < ROOT_TABLE; c++) {
        w->root_table[c] = -1;
    }
    for (int32_t k = 0; k < w->count[0]; k++) {
        int32_t child = w->first[0] + k;
        if (w->label[child] < ROOT_TABLE) {
            w->root_table[w->label[child]] = child;
        }
    }
}

/* --- keeping -------------------------------------------------------------- */

static Words *
words_of(PyObject *capsule, const char *function)
{
    Words *w = PyCapsule_IsValid(capsule, CAPSULE_NAME)
                   ? PyCapsule_GetPointer(capsule, CAPSULE_NAME)
                   : NULL;
    if (w == NULL) {
        PyErr_Format(PyExc_TypeError, "%s() needs the words that build() returned", function);
    }
    return w;
}

#define ARRAYS 4 /* label, first, count, fail: 4 bytes a node each */

static PyObject *
longest_dump(PyObject *module, PyObject *capsule)
{
    Words *w = words_of(capsule, "dump");
    if (w == NULL) {
        return NULL;
    }
    size_t size = (size_t)w->nodes * 4;
    PyObject *data = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(size * ARRAYS));
    PyObject *payloads = PyList_New(w->nodes);
    if (data == NULL || payloads == NULL) {
        Py_XDECREF(data);
        Py_XDECREF(payloads);
        return NULL;
    }
    char *out = PyBytes_AS_STRING(data);
    memcpy(out, w->label, size);
    memcpy(out + size, w->first, size);
    memcpy(out + 2 * size, w->count, size);
    memcpy(out + 3 * size, w->fail, size);
    for (Py_ssize_t n = 0; n < w->nodes; n++) {
        PyObject *payload = w->payload[n] != NULL ? w->payload[n] : Py_None;
        Py_INCREF(payload);
        PyList_SET_ITEM(payloads, n, payload);
    }
    return Py_BuildValue("(NN)", data, payloads);
}

static PyObject *
longest_load(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "load() needs the bytes and the list that dump() gave");
        return NULL;
    }
    Py_ssize_t nodes = PyList_GET_SIZE(args[1]);
    size_t size = (size_t)nodes * 4;
    if (nodes < 1 || nodes >= INT32_MAX || (size_t)PyBytes_GET_SIZE(args[0]) != size * ARRAYS) {
        PyErr_SetString(PyExc_ValueError, "load() was given bytes and a list that do not fit");
        return NULL;
    }
    Words *w = PyMem_Calloc(1, sizeof(Words));
    if (w == NULL) {
        return PyErr_NoMemory();
    }
    w->nodes = nodes;
    w->label = PyMem_Malloc(size);
    w->first = PyMem_Malloc(size);
    w->count = PyMem_Malloc(size);
    w->fail = PyMem_Malloc(size);
    w->payload = PyMem_Calloc((size_t)nodes, sizeof(PyObject *));
    w->root_table = PyMem_Malloc(ROOT_TABLE * sizeof(int32_t));
    if (w->label == NULL || w->first == NULL || w->count == NULL || w->fail == NULL ||
        w->payload == NULL || w->root_table == NULL) {
        words_free(w);
        return PyErr_NoMemory();
    }
    const char *in = PyBytes_AS_STRING(args[0]);
    memcpy(w->label, in, size);
    memcpy(w->first, in + size, size);
    memcpy(w->count, in + 2 * size, size);
    memcpy(w->fail, in + 3 * size, size);
    /* every link must stay inside the arrays: the children of a node come after it */
    int bad = w->fail[0] != -1;
    for (Py_ssize_t n = 0; n < nodes && !bad; n++) {
        int64_t first = w->first[n], count = w->count[n];
        bad = first <= n || count < 0 || first + count > nodes || w->label[n] > 0x10FFFF ||
              (n > 0 && (w->fail[n] < 0 || w->fail[n] >= n));
    }
    if (bad) {
        words_free(w);
        PyErr_SetString(PyExc_ValueError, "load() was given arrays that are not a trie");
        return NULL;
    }
    for (Py_ssize_t n = 0; n < nodes; n++) {
        PyObject *payload = PyList_GET_ITEM(args[1], n);
        if (payload != Py_None) {
            Py_INCREF(payload);
            w->payload[n] = payload;
        }
    }
    fill_root_table(w);
    PyObject *capsule = PyCapsule_New(w, CAPSULE_NAME, capsule_destructor);
    if (capsule == NULL) {
        words_free(w);
    }
    return capsule;
}

/* --- searching ------------------------------------------------------------ */

/* The matches of a walk: the end of each word and its node. */
typedef struct {
    Py_ssize_t *end;
    int32_t *node;
    Py_ssize_t size, capacity;
} Matches;

static int
matches_add(Matches *m, Py_ssize_t end, int32_t node)
{
    if (m->size == m->capacity) {
        Py_ssize_t capacity = m->capacity ? m->capacity * 2 : 16;
        Py_ssize_t *ends = PyMem_Realloc(m->end, (size_t)capacity * sizeof(Py_ssize_t));
        if (ends == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        m->end = ends;
        int32_t *nodes = PyMem_Realloc(m->node, (size_t)capacity * sizeof(int32_t));
        if (nodes == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        m->node = nodes;
        m->capacity = capacity;
    }
    m->end[m->size] = end;
    m->node[m->size] = node;
    m->size++;
    return 0;
}

static void
matches_free(Matches *m)
{
    PyMem_Free(m->end);
    PyMem_Free(m->node);
}

/* The walk over ``text``: every word iter_long yields, in order, into ``m``. */
static int
walk(const Words *w, PyObject *text, Matches *m)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t end = PyUnicode_GET_LENGTH(text);
    Py_ssize_t i = 0;
    int32_t state = 0;
    for (;;) {
        int32_t found = -1, failover = -1;
        Py_ssize_t found_end = -1, failover_at = -1;
        int from_failover = 0;
        while (i < end) {
            int32_t next;
            if (from_failover) { /* back to the remembered step, on its failure link */
                next = w->fail[failover];
                i = failover_at;
                failover = -1;
                failover_at = -1;
                from_failover = 0;
            }
            else {
                next = child_of(w, state, PyUnicode_READ(kind, data, i));
            }
            if (next >= 0) {
                if (w->payload[next] != NULL) {
                    found = next;
                    found_end = i;
                }
                else if (found < 0 && failover < 0 && w->fail[next] > 0 &&
                         w->payload[w->fail[next]] != NULL) {
                    failover = next;
                    failover_at = i;
                }
                state = next;
                i++;
                continue;
            }
            if (found >= 0) {
                break;
            }
            if (failover >= 0) {
                from_failover = 1;
                continue;
            }
            for (;;) {
                state = w->fail[state];
                if (state < 0) { /* the root gives the character up */
                    state = 0;
                    i++;
                    break;
                }
                if (child_of(w, state, PyUnicode_READ(kind, data, i)) >= 0) {
                    break;
                }
            }
        }
        if (found < 0) {
            return 0;
        }
        if (matches_add(m, found_end, found) < 0) {
            return -1;
        }
        state = 0;
        i = found_end + 1;
    }
}

/* The words and the text of a call, checked. */
static Words *
words_and_text(PyObject *const *args, Py_ssize_t nargs, Py_ssize_t expected, const char *function,
               const char *signature)
{
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%s), not %zd", function,
                     expected, signature, nargs);
        return NULL;
    }
    Words *w = words_of(args[0], function);
    if (w == NULL) {
        return NULL;
    }
    if (!PyUnicode_Check(args[1])) {
        PyErr_Format(PyExc_TypeError, "%s() needs a str text, not %.100s", function,
                     Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    return w;
}

static PyObject *
longest_longest(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Words *w = words_and_text(args, nargs, 2, "longest", "words, text");
    if (w == NULL) {
        return NULL;
    }
    Matches m = {NULL, NULL, 0, 0};
    if (walk(w, args[1], &m) < 0) {
        matches_free(&m);
        return NULL;
    }
    PyObject *out = PyList_New(m.size);
    for (Py_ssize_t k = 0; out != NULL && k < m.size; k++) {
        PyObject *match = Py_BuildValue("(nO)", m.end[k], w->payload[m.node[k]]);
        if (match == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, k, match);
    }
    matches_free(&m);
    return out;
}

/* --- the segmenter's cut ------------------------------------------------------ */

/* A payload as the segmenter files it: (parts, latin, size, kind). */
typedef struct {
    PyObject *parts; /* a tuple of str */
    int latin;
    Py_ssize_t size;
    long kind;
} Entry;

#define KIND_SPLIT 1
#define KIND_ADVERB_WORD 2

static int
entry_of(PyObject *payload, Entry *e)
{
    if (!PyTuple_Check(payload) || PyTuple_GET_SIZE(payload) != 4 ||
        !PyTuple_Check(PyTuple_GET_ITEM(payload, 0))) {
        PyErr_SetString(PyExc_TypeError,
                        "cut() needs words whose payloads are (parts, latin, size, kind)");
        return -1;
    }
    e->parts = PyTuple_GET_ITEM(payload, 0);
    e->latin = PyObject_IsTrue(PyTuple_GET_ITEM(payload, 1));
    e->size = PyLong_AsSsize_t(PyTuple_GET_ITEM(payload, 2));
    e->kind = PyLong_AsLong(PyTuple_GET_ITEM(payload, 3));
    if (e->latin < 0 || PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static inline int
ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
holds(PyObject *characters, Py_UCS4 c)
{
    return PyUnicode_FindChar(characters, c, 0, PyUnicode_GET_LENGTH(characters), 1) >= 0;
}

static int
append_new(PyObject *out, PyObject *item)
{
    if (item == NULL) {
        return -1;
    }
    int failed = PyList_Append(out, item);
    Py_DECREF(item);
    return failed;
}

/*
 * LexiconSegmenter.cut after the lower-casing: the same list of words and gaps
 * (see segment.py, whose Python this follows step for step).
 */
static PyObject *
longest_cut(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Words *w = words_and_text(args, nargs, 6, "cut", "words, text, negators, particles, numerals, gap");
    if (w == NULL) {
        return NULL;
    }
    PyObject *text = args[1], *negators = args[2], *particles = args[3], *numerals = args[4];
    PyObject *gap = args[5];
    if (!PyUnicode_Check(negators) || !PyUnicode_Check(particles) || !PyUnicode_Check(numerals) ||
        !PyUnicode_Check(gap)) {
        PyErr_SetString(PyExc_TypeError, "cut() needs the negators, particles, numerals and gap as str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Matches m = {NULL, NULL, 0, 0};
    if (walk(w, text, &m) < 0) {
        matches_free(&m);
        return NULL;
    }
    /* a Latin word counts only when it is not glued to other letters or digits */
    Py_ssize_t kept = 0;
    for (Py_ssize_t k = 0; k < m.size; k++) {
        Entry e;
        if (entry_of(w->payload[m.node[k]], &e) < 0) {
            matches_free(&m);
            return NULL;
        }
        if (e.latin) {
            Py_ssize_t start = m.end[k] - e.size + 1, end = m.end[k];
            Py_UCS4 before = start > 0 ? PyUnicode_READ(kind, data, start - 1) : ' ';
            Py_UCS4 after = end + 1 < length ? PyUnicode_READ(kind, data, end + 1) : ' ';
            if (ascii_alnum(before) || ascii_alnum(after)) {
                continue;
            }
        }
        m.end[kept] = m.end[k];
        m.node[kept] = m.node[k];
        kept++;
    }
    m.size = kept;
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        matches_free(&m);
        return NULL;
    }
    Py_ssize_t last_end = -1, negator_end = -2;
    for (Py_ssize_t k = 0; k < m.size; k++) {
        Entry e;
        if (entry_of(w->payload[m.node[k]], &e) < 0) {
            goto fail;
        }
        Py_ssize_t end = m.end[k];
        Py_ssize_t start = end - e.size + 1;
        Py_ssize_t count = PyList_GET_SIZE(out);
        if (count && start > last_end + 1 && PyList_Append(out, gap) < 0) {
            goto fail;
        }
        int glued = 0;
        if (e.kind == KIND_ADVERB_WORD) { /* the adverb of an unknown character (好少) */
            Py_ssize_t after = end + 1;
            if (after < length) {
                Py_UCS4 c = PyUnicode_READ(kind, data, after);
                glued = c >= 0x4e00 && c <= 0x9fff && !holds(particles, c);
                if (glued && k + 1 < m.size) { /* unknown: no word starts there */
                    Entry next;
                    if (entry_of(w->payload[m.node[k + 1]], &next) < 0) {
                        goto fail;
                    }
                    glued = m.end[k + 1] - next.size + 1 > after;
                }
            }
        }
        if (e.kind == KIND_SPLIT && negator_end == start - 1) {
            if (PyTuple_GET_SIZE(e.parts) < 2) {
                PyErr_SetString(PyExc_ValueError, "cut() met a split word with fewer than 2 parts");
                goto fail;
            }
            if (PyList_Append(out, PyTuple_GET_ITEM(e.parts, 1)) < 0) {
                goto fail;
            }
        }
        else if (glued) {
            if (append_new(out, PyUnicode_Substring(text, start, end + 2)) < 0) {
                goto fail;
            }
            end += 1;
        }
        else if (start == end && end + 1 < length &&
                 holds(numerals, PyUnicode_READ(kind, data, end + 1))) {
            /* 快两个小时: an adverb of quantity, no judgement */
            count = PyList_GET_SIZE(out);
            if (count && PyUnicode_GET_LENGTH(PyList_GET_ITEM(out, count - 1)) != 0 &&
                PyList_Append(out, gap) < 0) {
                goto fail;
            }
        }
        else {
            for (Py_ssize_t p = 0; p < PyTuple_GET_SIZE(e.parts); p++) {
                if (PyList_Append(out, PyTuple_GET_ITEM(e.parts, p)) < 0) {
                    goto fail;
                }
            }
        }
        if (start == end && holds(negators, PyUnicode_READ(kind, data, start))) {
            negator_end = start;
        }
        last_end = end;
    }
    matches_free(&m);
    return out;
fail:
    matches_free(&m);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef longest_methods[] = {
    {"build", (PyCFunction)longest_build, METH_O,
     "build(items) -> capsule: the trie and failure links of (word, payload) pairs."},
    {"longest", (PyCFunction)(void (*)(void))longest_longest, METH_FASTCALL,
     "longest(words, text) -> list: what pyahocorasick's iter_long yields, as a list."},
    {"cut", (PyCFunction)(void (*)(void))longest_cut, METH_FASTCALL,
     "cut(words, text, negators, particles, numerals, gap) -> list: LexiconSegmenter.cut."},
    {"dump", (PyCFunction)longest_dump, METH_O,
     "dump(words) -> (bytes, list): the trie's arrays and each node's payload, to pickle."},
    {"load", (PyCFunction)(void (*)(void))longest_load, METH_FASTCALL,
     "load(data, payloads) -> capsule: the words that dump() gave, checked."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef_Slot longest_slots[] = {
    {0, NULL},
};

static struct PyModuleDef longest_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "feedback_miner.sentiment._longest",
    .m_doc = "The sentiment segmenter's longest-word search, compiled "
             "(see feedback_miner.sentiment.segment).",
    .m_size = 0,
    .m_methods = longest_methods,
    .m_slots = longest_slots,
};

PyMODINIT_FUNC
PyInit__longest(void)
{
    return PyModuleDef_Init(&longest_module);
}

/* Compiled fast path of prototxt_tools.syntax.parser: lexer and tree builder in one call.
 *
 * Why C: the Python parser spends ~0.2 s on the 2 MB corpus, most of it in
 * creating a million lexeme strings and walking them with the interpreter.
 * Here lexemes are offsets, not strings, and the tree nodes (the Python
 * classes Field, Message, Scalar and ListValue of cst.py) are allocated
 * directly with their slots filled.
 *
 * The contract is deliberately narrow: for input the Python parser accepts,
 * build exactly the tree it builds (same lexeme boundaries, same node
 * ranges; the tests compare both on the corpus and on fuzzed input).  For
 * anything unusual (a syntax error, a character no lexeme accepts, a number
 * the regex would have to backtrack on, nesting deeper than MAX_DEPTH) return
 * None: the caller then runs the Python parser, which raises the precise error.
 * So no error message lives here, and the Python parser stays the reference.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <string.h>

#define MAX_DEPTH 100 /* parser.MAX_DEPTH */

/* Lexeme classes (only what the tree builder needs to tell apart). */
enum { TRIVIA, NAME, PUNCT, STRING, OTHER_SCALAR };

/* ---- node classes and their slot offsets, set once by setup() ---------- */
typedef struct {
    PyTypeObject *cls;
    Py_ssize_t stream, first, last;
} NodeClass;

static NodeClass FIELD, MESSAGE, SCALAR, LISTVALUE;
static Py_ssize_t FIELD_VALUE, FIELD_COLON, FIELD_NAME, MESSAGE_FIELDS, MESSAGE_BY_NAME,
    SCALAR_TEXT, SCALAR_VALUE, LIST_ITEMS;
static PyObject *UNSET; /* cst._UNSET: a Scalar's value not decoded yet */
static int ready = 0;

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

static Py_ssize_t slot_offset(PyTypeObject *cls, const char *name)
{
    PyObject *descr = PyObject_GetAttrString((PyObject *)cls, name);
    if (descr == NULL)
        return -1;
    if (!PyObject_TypeCheck(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a __slots__ member", cls->tp_name, name);
        Py_DECREF(descr);
        return -1;
    }
    Py_ssize_t offset = ((PyMemberDescrObject *)descr)->d_member->offset;
    Py_DECREF(descr);
    return offset;
}

static int node_class(NodeClass *node, PyObject *cls)
{
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "setup() takes node classes");
        return -1;
    }
    node->cls = (PyTypeObject *)cls;
    Py_INCREF(cls);
    if ((node->stream = slot_offset(node->cls, "stream")) < 0 ||
        (node->first = slot_offset(node->cls, "first")) < 0 ||
        (node->last = slot_offset(node->cls, "last")) < 0)
        return -1;
    return 0;
}

static PyObject *setup(PyObject *self, PyObject *args)
{
    PyObject *field, *message, *scalar, *listvalue, *unset;
    if (!PyArg_ParseTuple(args, "OOOOO", &field, &message, &scalar, &listvalue, &unset))
        return NULL;
    if (node_class(&FIELD, field) || node_class(&MESSAGE, message) ||
        node_class(&SCALAR, scalar) || node_class(&LISTVALUE, listvalue))
        return NULL;
    /* Stop at the first missing slot: its exception must be the one reported. */
    if ((FIELD_VALUE = slot_offset(FIELD.cls, "value")) < 0 ||
        (FIELD_COLON = slot_offset(FIELD.cls, "colon")) < 0 ||
        (FIELD_NAME = slot_offset(FIELD.cls, "name")) < 0 ||
        (MESSAGE_FIELDS = slot_offset(MESSAGE.cls, "fields")) < 0 ||
        (MESSAGE_BY_NAME = slot_offset(MESSAGE.cls, "_by_name")) < 0 ||
        (SCALAR_TEXT = slot_offset(SCALAR.cls, "text")) < 0 ||
        (SCALAR_VALUE = slot_offset(SCALAR.cls, "_value")) < 0 ||
        (LIST_ITEMS = slot_offset(LISTVALUE.cls, "items")) < 0)
        return NULL;
    Py_INCREF(unset);
    UNSET = unset;
    ready = 1;
    Py_RETURN_NONE;
}

/* ---- lexer --------------------------------------------------------------- */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
    int64_t *starts;     /* start of every lexeme, then the text's length */
    Py_ssize_t count;    /* lexemes */
    Py_ssize_t *sig;     /* lexeme index of every meaningful lexeme */
    unsigned char *sig_class;
    Py_ssize_t nsig, cap, sigcap;
} Lexed;

#define CH(lx, i) ((i) < (lx)->length ? PyUnicode_READ((lx)->kind, (lx)->data, (i)) : 0)

static int is_alpha_(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static int is_alnum_(Py_UCS4 c) { return is_alpha_(c) || is_digit(c); }
static int is_hex(Py_UCS4 c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_blank(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static int is_punct(Py_UCS4 c) { return c && strchr("{}<>[]:,;", (int)c) != NULL; }

/* End of the name starting at i (tokens._NAME: dotted identifiers). */
static Py_ssize_t name_end(const Lexed *lx, Py_ssize_t i)
{
    i++;
    for (;;) {
        while (is_alnum_(CH(lx, i)))
            i++;
        if (CH(lx, i) == '.' && is_alpha_(CH(lx, i + 1)))
            i += 2;
        else
            return i;
    }
}

/* End of the number at i (tokens._NUMBER), or -1 where the regex would not match
 * greedily: it would backtrack or fail, and the Python lexer decides. */
static Py_ssize_t number_end(const Lexed *lx, Py_ssize_t i)
{
    Py_UCS4 c = CH(lx, i);
    if (c == '-' || c == '+') {
        i++;
        c = CH(lx, i);
    }
    if (c == '0' && (CH(lx, i + 1) == 'x' || CH(lx, i + 1) == 'X') && is_hex(CH(lx, i + 2))) {
        i += 2;
        while (is_hex(CH(lx, i)))
            i++;
    } else {
        if (is_digit(c)) {
            while (is_digit(CH(lx, i)))
                i++;
            if (CH(lx, i) == '.')
                i++;
            while (is_digit(CH(lx, i)))
                i++;
        } else if (c == '.' && is_digit(CH(lx, i + 1))) {
            i++;
            while (is_digit(CH(lx, i)))
                i++;
        } else {
            return -1;
        }
        c = CH(lx, i);
        if (c == 'e' || c == 'E') {
            Py_ssize_t j = i + 1;
            if (CH(lx, j) == '-' || CH(lx, j) == '+')
                j++;
            if (is_digit(CH(lx, j))) {
                while (is_digit(CH(lx, j)))
                    j++;
                i = j;
            }
        }
        if (CH(lx, i) == 'f' || CH(lx, i) == 'F')
            i++;
    }
    c = CH(lx, i);
    if (c >= 0x80 || is_alnum_(c) || c == '.')
        return -1;
    return i;
}

/* End of the string literal opened at i, or -1 when it does not close on its line. */
static Py_ssize_t string_end(const Lexed *lx, Py_ssize_t i)
{
    Py_UCS4 quote = CH(lx, i);
    for (i++; i < lx->length; i++) {
        Py_UCS4 c = CH(lx, i);
        if (c == quote)
            return i + 1;
        if (c == '\r' || c == '\n')
            return -1;
        if (c == '\\') {
            c = CH(lx, i + 1);
            if (i + 1 >= lx->length || c == '\r' || c == '\n')
                return -1;
            i++;
        }
    }
    return -1;
}

static int push(Lexed *lx, Py_ssize_t start, int cls)
{
    if (lx->count + 2 > lx->cap) {
        Py_ssize_t cap = lx->cap * 2 + 1024;
        int64_t *starts = PyMem_Realloc(lx->starts, cap * sizeof(int64_t));
        if (starts == NULL)
            return -1;
        lx->starts = starts;
        lx->cap = cap;
    }
    if (cls != TRIVIA) {
        if (lx->nsig + 1 > lx->sigcap) {
            Py_ssize_t cap = lx->sigcap * 2 + 1024;
            Py_ssize_t *sig = PyMem_Realloc(lx->sig, cap * sizeof(Py_ssize_t));
            if (sig == NULL)
                return -1;
            lx->sig = sig;
            unsigned char *classes = PyMem_Realloc(lx->sig_class, cap);
            if (classes == NULL)
                return -1;
            lx->sig_class = classes;
            lx->sigcap = cap;
        }
        lx->sig[lx->nsig] = lx->count;
        lx->sig_class[lx->nsig++] = (unsigned char)cls;
    }
    lx->starts[lx->count++] = start;
    return 0;
}

/* 1: lexed; 0: not for the fast path; -1: out of memory (exception set). */
static int lex(Lexed *lx)
{
    Py_ssize_t i = 0, n = lx->length;
    while (i < n) {
        Py_UCS4 c = CH(lx, i);
        Py_ssize_t end;
        int cls;
        if (is_blank(c)) {
            end = i + 1;
            while (is_blank(CH(lx, end)))
                end++;
            cls = TRIVIA;
        } else if (is_alpha_(c)) {
            end = name_end(lx, i);
            cls = NAME;
        } else if (is_punct(c)) {
            end = i + 1;
            cls = PUNCT;
        } else if (c == '#') {
            end = i + 1;
            while (end < n && CH(lx, end) != '\r' && CH(lx, end) != '\n')
                end++;
            cls = TRIVIA;
        } else if (c == '"' || c == '\'') {
            end = string_end(lx, i);
            cls = STRING;
        } else if (c == 0xFEFF) {
            end = i + 1;
            cls = TRIVIA;
        } else if (c == '-' && is_alpha_(CH(lx, i + 1))) {
            end = name_end(lx, i + 1);  /* -inf, -nan: no number starts with a letter */
            cls = OTHER_SCALAR;
        } else {
            end = number_end(lx, i);
            cls = OTHER_SCALAR;
        }
        if (end < 0)
            return 0;
        if (push(lx, i, cls) < 0) {
            PyErr_NoMemory();
            return -1;
        }
        i = end;
    }
    lx->starts[lx->count] = n;
    return 1;
}

/* ---- tree builder -------------------------------------------------------- */
/* Field names repeat thousands of times per file: one str object per distinct
 * name, found by its characters without creating a string first. */
typedef struct {
    Py_ssize_t start, length; /* where the name was first seen in the text */
    PyObject *str;
} NameSlot;

typedef struct {
    NameSlot *slots;
    size_t mask, used;
} NameTable;

typedef struct {
    Lexed *lx;
    PyObject *text, *stream;
    NameTable names;
    int fallback; /* set: give up, the Python parser decides */
} Builder;

static Py_UCS4 sig_char(const Builder *b, Py_ssize_t p)
{
    return p < b->lx->nsig ? CH(b->lx, b->lx->starts[b->lx->sig[p]]) : 0;
}

/* A node of class nc over lexemes [first, last]; steals both (even on failure). */
static PyObject *new_node(const Builder *b, const NodeClass *nc, PyObject *first, PyObject *last)
{
    PyObject *node = (first && last) ? nc->cls->tp_alloc(nc->cls, 0) : NULL;
    if (node == NULL) {
        Py_XDECREF(first);
        Py_XDECREF(last);
        return NULL;
    }
    /* Out of the cyclic collector's sight: a node refers only to its stream (which
     * refers to no node), strings, ints and its children, so no cycle can pass
     * through it, and reference counting frees it.  Tracked, the 100k nodes of a
     * large file are walked by every collection that runs while they live. */
    PyObject_GC_UnTrack(node);
    Py_INCREF(b->stream);
    SLOT(node, nc->stream) = b->stream;
    SLOT(node, nc->first) = first;
    SLOT(node, nc->last) = last;
    return node;
}

/* A node over the meaningful lexemes number p_first..p_last. */
static PyObject *node_over(const Builder *b, const NodeClass *nc, Py_ssize_t p_first,
                           Py_ssize_t p_last)
{
    PyObject *first = PyLong_FromSsize_t(b->lx->sig[p_first]);
    PyObject *last;
    if (p_last == p_first) {
        Py_XINCREF(first);
        last = first;
    } else {
        last = PyLong_FromSsize_t(b->lx->sig[p_last]);
    }
    return new_node(b, nc, first, last);
}

static PyObject *lexeme_text(const Builder *b, Py_ssize_t p)
{
    Py_ssize_t lexeme = b->lx->sig[p];
    return PyUnicode_Substring(b->text, (Py_ssize_t)b->lx->starts[lexeme],
                               (Py_ssize_t)b->lx->starts[lexeme + 1]);
}

static PyObject *body(Builder *b, Py_ssize_t *p, Py_ssize_t opener, int depth);

/* The block opened at *p; *p moves past its closer. */
static PyObject *message(Builder *b, Py_ssize_t *p, int depth)
{
    if (depth > MAX_DEPTH) {
        b->fallback = 1;
        return NULL;
    }
    Py_ssize_t open = *p;
    *p = open + 1;
    PyObject *fields = body(b, p, open, depth);
    if (fields == NULL)
        return NULL;
    PyObject *node = node_over(b, &MESSAGE, open, *p);
    if (node == NULL) {
        Py_DECREF(fields);
        return NULL;
    }
    SLOT(node, MESSAGE_FIELDS) = fields;
    Py_INCREF(Py_None);
    SLOT(node, MESSAGE_BY_NAME) = Py_None;
    *p += 1;
    return node;
}

/* A scalar at *p (adjacent string literals are one value); *p moves past it. */
static PyObject *scalar(Builder *b, Py_ssize_t *p)
{
    Py_ssize_t start = *p;
    Py_ssize_t end = start + 1;
    if (b->lx->sig_class[start] == STRING)
        while (end < b->lx->nsig && b->lx->sig_class[end] == STRING)
            end++;
    *p = end;
    PyObject *text = lexeme_text(b, start);
    PyObject *node = text ? node_over(b, &SCALAR, start, end - 1) : NULL;
    if (node == NULL) {
        Py_XDECREF(text);
        return NULL;
    }
    SLOT(node, SCALAR_TEXT) = text;
    Py_INCREF(UNSET);
    SLOT(node, SCALAR_VALUE) = UNSET;
    return node;
}

static int is_value_start(Py_UCS4 c) { return c != 0 && !is_punct(c); }

/* The [...] list opened at *p; *p moves past its ']'. */
static PyObject *list(Builder *b, Py_ssize_t *p, int depth)
{
    Py_ssize_t open = *p;
    PyObject *items = PyList_New(0);
    if (items == NULL)
        return NULL;
    *p += 1;
    Py_UCS4 c = sig_char(b, *p);
    if (c != ']') {
        for (;;) {
            PyObject *item;
            if (c == '{' || c == '<')
                item = message(b, p, depth + 1);
            else if (is_value_start(c))
                item = scalar(b, p);
            else {
                b->fallback = 1;
                item = NULL;
            }
            if (item == NULL || PyList_Append(items, item) < 0) {
                Py_XDECREF(item);
                Py_DECREF(items);
                return NULL;
            }
            Py_DECREF(item);
            c = sig_char(b, *p);
            if (c == ']')
                break;
            if (c != ',') {
                b->fallback = 1;
                Py_DECREF(items);
                return NULL;
            }
            *p += 1;
            c = sig_char(b, *p);
        }
    }
    PyObject *node = node_over(b, &LISTVALUE, open, *p);
    if (node == NULL) {
        Py_DECREF(items);
        return NULL;
    }
    SLOT(node, LIST_ITEMS) = items;
    *p += 1;
    return node;
}

/* FNV-1a over the characters: only for placing names in the table. */
static size_t span_hash(const Lexed *lx, Py_ssize_t start, Py_ssize_t length)
{
    size_t hash = 2166136261u;
    for (Py_ssize_t i = start; i < start + length; i++)
        hash = (hash ^ CH(lx, i)) * 16777619u;
    return hash;
}

static int names_grow(NameTable *table, const Lexed *lx)
{
    size_t size = table->slots ? (table->mask + 1) * 2 : 256;
    NameSlot *slots = PyMem_Calloc(size, sizeof(NameSlot));
    if (slots == NULL)
        return -1;
    NameTable bigger = {slots, size - 1, table->used};
    for (size_t i = 0; table->slots && i <= table->mask; i++) {
        NameSlot *old = &table->slots[i];
        if (old->str == NULL)
            continue;
        size_t j = span_hash(lx, old->start, old->length) & bigger.mask;
        while (slots[j].str != NULL)
            j = (j + 1) & bigger.mask;
        slots[j] = *old;
    }
    PyMem_Free(table->slots);
    *table = bigger;
    return 0;
}

static void names_free(NameTable *table)
{
    for (size_t i = 0; table->slots && i <= table->mask; i++)
        Py_XDECREF(table->slots[i].str);
    PyMem_Free(table->slots);
}

static PyObject *field_name(Builder *b, Py_ssize_t p)
{
    NameTable *table = &b->names;
    if ((table->used + 1) * 2 > (table->slots ? table->mask + 1 : 0) && names_grow(table, b->lx) < 0)
        return PyErr_NoMemory();
    const Lexed *lx = b->lx;
    Py_ssize_t start = (Py_ssize_t)lx->starts[lx->sig[p]];
    Py_ssize_t length = (Py_ssize_t)lx->starts[lx->sig[p] + 1] - start;
    size_t width = (size_t)lx->kind;
    const char *chars = (const char *)lx->data;
    size_t i = span_hash(lx, start, length) & table->mask;
    for (;; i = (i + 1) & table->mask) {
        NameSlot *slot = &table->slots[i];
        if (slot->str == NULL)
            break;
        if (slot->length == length &&
            memcmp(chars + slot->start * width, chars + start * width, length * width) == 0) {
            Py_INCREF(slot->str);
            return slot->str;
        }
    }
    PyObject *name = lexeme_text(b, p);
    if (name == NULL)
        return NULL;
    NameSlot *slot = &table->slots[i];
    slot->start = start;
    slot->length = length;
    slot->str = name;
    table->used++;
    Py_INCREF(name);
    return name;
}

/* One field starting with the name at *p; *p moves past its value. */
static PyObject *field(Builder *b, Py_ssize_t *p, int depth)
{
    Py_ssize_t name_p = *p;
    *p += 1;
    Py_ssize_t colon = -1;
    Py_UCS4 c = sig_char(b, *p);
    if (c == ':') {
        colon = b->lx->sig[*p];
        *p += 1;
        c = sig_char(b, *p);
    }
    PyObject *value;
    if (c == '{' || c == '<')
        value = message(b, p, depth + 1);
    else if (c == '[')
        value = list(b, p, depth + 1);
    else if (colon >= 0 && is_value_start(c))
        value = scalar(b, p);
    else {
        b->fallback = 1;
        return NULL;
    }
    if (value == NULL)
        return NULL;
    PyObject *name = field_name(b, name_p);
    PyObject *colon_obj = name ? PyLong_FromSsize_t(colon) : NULL;
    PyObject *node = NULL;
    if (colon_obj != NULL) {
        PyObject *last = SLOT(value, SCALAR.last); /* the value's: one slot offset in every node */
        Py_INCREF(last);
        node = new_node(b, &FIELD, PyLong_FromSsize_t(b->lx->sig[name_p]), last);
    }
    if (node == NULL) {
        Py_XDECREF(colon_obj);
        Py_XDECREF(name);
        Py_DECREF(value);
        return NULL;
    }
    SLOT(node, FIELD_VALUE) = value;
    SLOT(node, FIELD_COLON) = colon_obj;
    SLOT(node, FIELD_NAME) = name;
    return node;
}

/* Fields from *p up to the closer of `opener` (-1: end of text); *p stops at the closer. */
static PyObject *body(Builder *b, Py_ssize_t *p, Py_ssize_t opener, int depth)
{
    PyObject *fields = PyList_New(0);
    if (fields == NULL)
        return NULL;
    Py_ssize_t n = b->lx->nsig;
    while (*p < n) {
        Py_UCS4 c = sig_char(b, *p);
        if (b->lx->sig_class[*p] == NAME) {
            PyObject *f = field(b, p, depth);
            if (f == NULL || PyList_Append(fields, f) < 0) {
                Py_XDECREF(f);
                Py_DECREF(fields);
                return NULL;
            }
            Py_DECREF(f);
        } else if (c == '}' || c == '>') {
            Py_UCS4 open = opener >= 0 ? sig_char(b, opener) : 0;
            if ((open == '{' && c == '}') || (open == '<' && c == '>'))
                return fields;
            break;
        } else if (c == ',' || c == ';') {
            *p += 1;
        } else {
            break;
        }
    }
    if (*p >= n && opener < 0)
        return fields;
    b->fallback = 1;
    Py_DECREF(fields);
    return NULL;
}

/* ---- entry point --------------------------------------------------------- */
static PyObject *build(Lexed *lx, PyObject *text, PyObject *make_stream)
{
    PyObject *starts = PyBytes_FromStringAndSize((const char *)lx->starts,
                                                 (lx->count + 1) * (Py_ssize_t)sizeof(int64_t));
    if (starts == NULL)
        return NULL;
    PyObject *stream = PyObject_CallFunctionObjArgs(make_stream, text, starts, NULL);
    Py_DECREF(starts);
    if (stream == NULL)
        return NULL;
    Builder b = {lx, text, stream, {NULL, 0, 0}, 0};
    Py_ssize_t p = 0;
    PyObject *fields = body(&b, &p, -1, 0);
    names_free(&b.names);
    if (fields == NULL) {
        Py_DECREF(stream);
        if (b.fallback && !PyErr_Occurred())
            Py_RETURN_NONE;
        return NULL;
    }
    PyObject *result = PyTuple_Pack(2, stream, fields);
    Py_DECREF(stream);
    Py_DECREF(fields);
    return result;
}

static PyObject *parse(PyObject *self, PyObject *args)
{
    PyObject *text, *make_stream;
    if (!PyArg_ParseTuple(args, "UO", &text, &make_stream))
        return NULL;
    if (!ready) {
        PyErr_SetString(PyExc_RuntimeError, "_cparse.setup() was not called");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0)
        return NULL;
#endif
    Lexed lx = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text),
                NULL, 0, NULL, NULL, 0, 0, 0};
    PyObject *result = NULL;
    lx.cap = lx.length / 4 + 16;
    lx.starts = PyMem_Malloc(lx.cap * sizeof(int64_t));
    if (lx.starts == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    int lexed = lex(&lx);
    if (lexed > 0)
        result = build(&lx, text, make_stream);
    else if (lexed == 0) {
        Py_INCREF(Py_None);
        result = Py_None;
    }
    PyMem_Free(lx.starts);
    PyMem_Free(lx.sig);
    PyMem_Free(lx.sig_class);
    return result;
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_VARARGS,
     "setup(Field, Message, Scalar, ListValue, unset): the node classes to build."},
    {"parse", parse, METH_VARARGS,
     "parse(text, make_stream) -> (stream, fields), or None when the Python parser must decide.\n"
     "make_stream(text, starts) builds the TokenStream from the lexeme starts (int64 bytes)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_cparse",
    "Compiled fast path of the prototxt parser (see parser.py).", -1, methods,
};

/* Bumped whenever the node classes or the grammar this module mirrors change: parser.py
 * uses a module built from an older source (a stale .so) only if the numbers agree. */
#define ABI 1

PyMODINIT_FUNC PyInit__cparse(void)
{
    PyObject *mod = PyModule_Create(&module);
    if (mod != NULL && PyModule_AddIntConstant(mod, "ABI", ABI) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}

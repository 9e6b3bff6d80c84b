/*
 * ecosystem-yaml: an ecosystem file in YAML, through libyaml's event
 * parser, into the eco_node tree that ecosystem-keys.c validates.
 *
 * Only the plain subset of YAML a config needs is accepted: anchors and
 * aliases are refused (a value defined once and used in several apps is
 * confusing to read back, and aliases allow "billion laughs" blow-ups),
 * as are documents after the first.  libyaml marks count from 0; every
 * position we print counts from 1.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ecosystem.h"
#include "xmalloc.h"

struct eco_yaml {
	yaml_parser_t		 parser;
	struct eco_errors	*errs;
	bool			 broken;	/* saw a syntax error */
};

#define ECO_LINE(m)	((int)(m).line + 1)
#define ECO_COL(m)	((int)(m).column + 1)

/* Report libyaml's own error: reader errors only know a byte offset. */
static void
eco_yaml_syntax(struct eco_yaml *y)
{
	yaml_parser_t	*p = &y->parser;
	const char	*problem = p->problem != NULL ? p->problem :
			    "cannot parse YAML";

	y->broken = true;
	switch (p->error) {
	case YAML_MEMORY_ERROR:
		eco_error(y->errs, 0, 0, "out of memory");
		break;
	case YAML_READER_ERROR:
		if (strstr(problem, "UTF-8") != NULL ||
		    strstr(problem, "Unicode") != NULL)
			eco_error(y->errs, 0, 0, "byte %zu: invalid UTF-8 (%s)",
			    p->problem_offset, problem);
		else if (p->problem_value != -1)
			eco_error(y->errs, 0, 0, "byte %zu: %s (0x%02X)",
			    p->problem_offset, problem, p->problem_value);
		else
			eco_error(y->errs, 0, 0, "byte %zu: %s",
			    p->problem_offset, problem);
		break;
	default:
		if (p->context != NULL)
			eco_error(y->errs, ECO_LINE(p->problem_mark),
			    ECO_COL(p->problem_mark), "%s (%s at %d:%d)",
			    problem, p->context, ECO_LINE(p->context_mark),
			    ECO_COL(p->context_mark));
		else
			eco_error(y->errs, ECO_LINE(p->problem_mark),
			    ECO_COL(p->problem_mark), "%s", problem);
		break;
	}
}

/* The next event, or false after reporting a syntax error. */
static bool
eco_yaml_next(struct eco_yaml *y, yaml_event_t *ev)
{
	if (yaml_parser_parse(&y->parser, ev))
		return true;
	eco_yaml_syntax(y);
	return false;
}

static void
eco_yaml_anchor(struct eco_yaml *y, const yaml_event_t *ev,
    const yaml_char_t *anchor)
{
	if (anchor != NULL)
		eco_error(y->errs, ECO_LINE(ev->start_mark),
		    ECO_COL(ev->start_mark), "anchors (&%s) are not "
		    "supported: write the value out", (const char *)anchor);
}

static struct eco_node *
eco_yaml_scalar(struct eco_yaml *y, const yaml_event_t *ev)
{
	struct eco_node	*n;
	const char	*v = (const char *)ev->data.scalar.value;
	size_t		 len = ev->data.scalar.length;

	eco_yaml_anchor(y, ev, ev->data.scalar.anchor);
	/* Only an unquoted ~, null or nothing is null; "null" is text. */
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0))
		return eco_node_new(ECO_N_NULL, ECO_LINE(ev->start_mark),
		    ECO_COL(ev->start_mark));
	n = eco_node_new(ECO_N_SCALAR, ECO_LINE(ev->start_mark),
	    ECO_COL(ev->start_mark));
	n->text = xmalloc(len + 1);
	memcpy(n->text, v, len);
	n->text[len] = '\0';
	n->len = len;
	return n;
}

static struct eco_node *eco_yaml_node(struct eco_yaml *, yaml_event_t *,
    int);

/* The items of a sequence or the keys and values of a mapping, up to
   their end event. */
static struct eco_node *
eco_yaml_collection(struct eco_yaml *y, yaml_event_t *start, int depth)
{
	struct eco_node		*n, *kid;
	yaml_event_t		 ev;
	yaml_event_type_t	 end;

	if (start->type == YAML_SEQUENCE_START_EVENT) {
		eco_yaml_anchor(y, start, start->data.sequence_start.anchor);
		n = eco_node_new(ECO_N_SEQ, ECO_LINE(start->start_mark),
		    ECO_COL(start->start_mark));
		end = YAML_SEQUENCE_END_EVENT;
	} else {
		eco_yaml_anchor(y, start, start->data.mapping_start.anchor);
		n = eco_node_new(ECO_N_MAP, ECO_LINE(start->start_mark),
		    ECO_COL(start->start_mark));
		end = YAML_MAPPING_END_EVENT;
	}
	if (depth >= ECO_DEPTH_MAX) {
		eco_error(y->errs, n->line, n->col, "nested more than %d "
		    "levels deep", ECO_DEPTH_MAX);
		goto fail;
	}
	for (;;) {
		if (!eco_yaml_next(y, &ev))
			goto fail;
		if (ev.type == end) {
			yaml_event_delete(&ev);
			return n;
		}
		kid = eco_yaml_node(y, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (kid == NULL)
			goto fail;
		eco_node_add(n, kid);
	}

fail:
	eco_node_free(n);
	return NULL;
}

/*
 * The node that ev starts (the caller still owns and deletes ev).  NULL
 * after a syntax error: the rest of the stream cannot be trusted then.
 */
static struct eco_node *
eco_yaml_node(struct eco_yaml *y, yaml_event_t *ev, int depth)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return eco_yaml_scalar(y, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return eco_yaml_collection(y, ev, depth);
	case YAML_ALIAS_EVENT:
		eco_error(y->errs, ECO_LINE(ev->start_mark),
		    ECO_COL(ev->start_mark), "aliases (*%s) are not "
		    "supported: write the value out",
		    (const char *)ev->data.alias.anchor);
		return eco_node_new(ECO_N_BAD, ECO_LINE(ev->start_mark),
		    ECO_COL(ev->start_mark));
	default:
		eco_error(y->errs, ECO_LINE(ev->start_mark),
		    ECO_COL(ev->start_mark), "unexpected YAML event");
		return NULL;
	}
}

/* After the first document: only the end of the stream may follow. */
static void
eco_yaml_tail(struct eco_yaml *y)
{
	yaml_event_t	 ev;

	if (!eco_yaml_next(y, &ev))
		return;
	if (ev.type == YAML_DOCUMENT_END_EVENT) {
		yaml_event_delete(&ev);
		if (!eco_yaml_next(y, &ev))
			return;
	}
	if (ev.type != YAML_STREAM_END_EVENT)
		eco_error(y->errs, ECO_LINE(ev.start_mark),
		    ECO_COL(ev.start_mark), "more than one YAML document: "
		    "put every app under one \"apps\"");
	yaml_event_delete(&ev);
}

/*
 * Returns the tree, or NULL: after a syntax error, or for a stream with
 * no document at all, which the caller reports as empty.  Errors that do
 * not break the structure (an alias, a second document) are reported and
 * the tree still returned, so that validation can report the rest.
 */
struct eco_node *
eco_yaml_parse(struct eco_errors *errs, const char *buf, size_t len)
{
	struct eco_yaml	 y;
	struct eco_node	*root = NULL;
	yaml_event_t	 ev;

	memset(&y, 0, sizeof y);
	y.errs = errs;
	if (!yaml_parser_initialize(&y.parser)) {
		eco_error(errs, 0, 0, "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)buf,
	    len);
	/* STREAM-START, then DOCUMENT-START or an empty stream's end. */
	if (!eco_yaml_next(&y, &ev))
		goto done;
	yaml_event_delete(&ev);
	if (!eco_yaml_next(&y, &ev))
		goto done;
	if (ev.type != YAML_DOCUMENT_START_EVENT) {
		yaml_event_delete(&ev);
		goto done;
	}
	yaml_event_delete(&ev);
	if (!eco_yaml_next(&y, &ev))
		goto done;
	root = eco_yaml_node(&y, &ev, 0);
	yaml_event_delete(&ev);
	if (root != NULL)
		eco_yaml_tail(&y);

done:
	yaml_parser_delete(&y.parser);
	if (y.broken) {
		eco_node_free(root);
		return NULL;
	}
	return root;
}

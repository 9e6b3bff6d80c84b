/*
 * ecosystem-json: PM2-style ecosystem.json / process.json files, and the
 * wire form of an app config (eco_config_to_json / eco_config_from_json).
 *
 * Both go through the eco_node tree and the validator of
 * ecosystem-keys.c, so JSON gets exactly the YAML rules.  cJSON keeps no
 * positions: a syntax error is placed by the offset where cJSON stopped,
 * but other errors in a JSON file name only the file and the key path
 * ("eco.json: apps[1].instances: ...").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ecosystem.h"
#include "xmalloc.h"

/* Largest double below which every integer is exact. */
#define ECO_JSON_EXACT	9007199254740992.0

/* The offset of the first byte that is not valid UTF-8, or len. */
static size_t
eco_utf8_check(const unsigned char *s, size_t len)
{
	size_t		 i = 0, n, k;
	unsigned int	 cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return i;
		if (i + n >= len)
			return i;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static struct eco_node *
eco_json_scalar(const char *text)
{
	struct eco_node	*n;

	n = eco_node_new(ECO_N_SCALAR, 0, 0);
	n->text = xstrdup(text);
	n->len = strlen(text);
	return n;
}

/*
 * A JSON value as a node.  Numbers become their decimal text, exact for
 * integers up to 2^53 (what the validator accepts), so 5 and "5" are the
 * same value, as they are in YAML.
 */
struct eco_node *
eco_json_to_node(const cJSON *j)
{
	struct eco_node	*n;
	const cJSON	*kid;
	char		 num[64];
	double		 d;

	if (cJSON_IsString(j))
		return eco_json_scalar(j->valuestring);
	if (cJSON_IsNumber(j)) {
		d = j->valuedouble;
		if (d > -ECO_JSON_EXACT && d < ECO_JSON_EXACT &&
		    (double)(long long)d == d)
			snprintf(num, sizeof num, "%lld", (long long)d);
		else
			snprintf(num, sizeof num, "%.17g", d);
		return eco_json_scalar(num);
	}
	if (cJSON_IsBool(j))
		return eco_json_scalar(cJSON_IsTrue(j) ? "true" : "false");
	if (cJSON_IsArray(j)) {
		n = eco_node_new(ECO_N_SEQ, 0, 0);
		cJSON_ArrayForEach(kid, j)
			eco_node_add(n, eco_json_to_node(kid));
		return n;
	}
	if (cJSON_IsObject(j)) {
		n = eco_node_new(ECO_N_MAP, 0, 0);
		cJSON_ArrayForEach(kid, j) {
			eco_node_add(n, eco_json_scalar(kid->string));
			eco_node_add(n, eco_json_to_node(kid));
		}
		return n;
	}
	return eco_node_new(ECO_N_NULL, 0, 0);
}

/* Where cJSON stopped, as line:col from 1. */
static void
eco_json_where(const char *buf, const char *at, int *line, int *col)
{
	const char	*p;

	*line = 1;
	*col = 1;
	for (p = buf; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/*
 * Parse a JSON ecosystem file.  PM2 accepts both {"apps": [...]} and a
 * bare array of apps; the array is wrapped as the former so that the
 * top-level checks stay in one place.
 */
struct eco_node *
eco_json_parse(struct eco_errors *errs, const char *buf, size_t len)
{
	struct eco_node	*root, *wrap;
	cJSON		*json;
	const char	*end = NULL;
	size_t		 bad;
	int		 line, col;

	if ((bad = eco_utf8_check((const unsigned char *)buf, len)) != len) {
		eco_error(errs, 0, 0, "byte %zu: invalid UTF-8", bad);
		return NULL;
	}
	/* cJSON stops at a NUL; say so rather than blame the syntax. */
	if (strlen(buf) != len) {
		eco_error(errs, 0, 0, "byte %zu: NUL byte in JSON",
		    strlen(buf));
		return NULL;
	}
	if ((json = cJSON_ParseWithOpts(buf, &end, true)) == NULL) {
		if (end == NULL)
			end = buf;
		/* cJSON gives no reason, only where it stopped. */
		eco_json_where(buf, end, &line, &col);
		eco_error(errs, line, col, "JSON syntax error");
		return NULL;
	}
	root = eco_json_to_node(json);
	cJSON_Delete(json);
	if (root->kind != ECO_N_SEQ)
		return root;
	wrap = eco_node_new(ECO_N_MAP, 0, 0);
	eco_node_add(wrap, eco_json_scalar("apps"));
	eco_node_add(wrap, root);
	return wrap;
}

/* Add one key of the table to the wire object. */
static void
eco_json_add_key(cJSON *o, const struct eco_key *k,
    const struct app_config *c)
{
	const void	*field = (const char *)c + k->offset;
	const char	*s;
	cJSON		*a;
	size_t		 i;

	switch (k->type) {
	case ECO_T_STRING:
	case ECO_T_CRON:
		if ((s = *(char *const *)field) != NULL)
			cJSON_AddStringToObject(o, k->name, s);
		break;
	case ECO_T_STRLIST:
		a = cJSON_AddArrayToObject(o, k->name);
		for (i = 0; a != NULL && i < c->nargs; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(c->args[i]));
		break;
	case ECO_T_INT:
	case ECO_T_INSTANCES:
		cJSON_AddNumberToObject(o, k->name, *(const int *)field);
		break;
	case ECO_T_BOOL:
		cJSON_AddBoolToObject(o, k->name, *(const bool *)field);
		break;
	case ECO_T_SIZE:
	case ECO_T_DURATION:
		cJSON_AddNumberToObject(o, k->name,
		    (double)*(const uint64_t *)field);
		break;
	case ECO_T_SIGNAL:
		if ((s = eco_signal_name(c->stop_signal)) != NULL)
			cJSON_AddStringToObject(o, k->name, s);
		else
			cJSON_AddNumberToObject(o, k->name, c->stop_signal);
		break;
	case ECO_T_ENV:
		/* env is already merged: env_* never goes on the wire. */
		if (strcmp(k->name, "env") != 0)
			break;
		a = cJSON_AddObjectToObject(o, k->name);
		for (i = 0; a != NULL && i < c->nenv; i++)
			cJSON_AddStringToObject(a, c->env[i].key,
			    c->env[i].value);
		break;
	}
}

cJSON *
eco_config_to_json(const struct app_config *c)
{
	cJSON	*o;
	size_t	 i;

	if ((o = cJSON_CreateObject()) == NULL)
		return NULL;
	for (i = 0; eco_keys[i].name != NULL; i++)
		eco_json_add_key(o, &eco_keys[i], c);
	if (c->source != NULL)
		cJSON_AddStringToObject(o, "source", c->source);
	return o;
}

/*
 * Every value is re-validated by the file rules (numbers are read from
 * valuedouble and range-checked there; keys are matched case-sensitively
 * and a repeated key is an error), except that paths must be absolute and
 * "source" is allowed.  The cause is the first error found.
 */
struct app_config *
eco_config_from_json(const cJSON *j, char **cause)
{
	struct eco_errors	 errs;
	struct eco_node		*n;
	struct app_config	*c;

	*cause = NULL;
	if (!cJSON_IsObject(j)) {
		*cause = xstrdup("app config: expected a JSON object");
		return NULL;
	}
	memset(&errs, 0, sizeof errs);
	n = eco_json_to_node(j);
	c = eco_app_build(&errs, n, "", NULL, NULL);
	eco_node_free(n);
	if (c == NULL) {
		if (errs.total > 1)
			*cause = xprintf("%s (and %zu more errors)",
			    errs.lines[0], errs.total - 1);
		else
			*cause = xstrdup(errs.nlines > 0 ? errs.lines[0] :
			    "invalid app config");
	}
	eco_errors_clear(&errs);
	return c;
}

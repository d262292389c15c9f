/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pure parts of the object framework (bus_int.h): object path
 * escaping, introspection XML generated from the interface tables, table
 * checks, value helpers for getters, and the errno -> error name table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/xalloc.h"
#include "bus_int.h"

/* ---- small string buffer ---------------------------------------------- */

void bus_sbuf_add(struct bus_sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = sb->cap - sb->len;

		va_start(ap, fmt);
		n = vsnprintf(sb->s ? sb->s + sb->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return;
		if ((size_t)n < room) {
			sb->len += (size_t)n;
			return;
		}
		sb->cap = (sb->cap + (size_t)n + 1) * 2;
		sb->s = xrealloc(sb->s, sb->cap);
	}
}

/* Next space-separated word of *p: returns its length (0 at the end). */
static size_t word_next(const char **p, const char **ret_word)
{
	const char *s = *p ? *p : "";
	size_t n;

	while (*s == ' ')
		s++;
	n = strcspn(s, " ");
	*ret_word = s;
	*p = s + n;
	return n;
}

/* ---- paths ------------------------------------------------------------- */

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int bus_path_encode(const char *prefix, const char *label, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(prefix);

	if (n + 2 > len)
		return -ENAMETOOLONG;
	memcpy(buf, prefix, n);
	if (n == 0 || buf[n - 1] != '/')
		buf[n++] = '/';
	if (!*label) {
		if (n + 2 > len)
			return -ENAMETOOLONG;
		buf[n++] = '_';
	}
	for (const unsigned char *s = (const unsigned char *)label; *s; s++) {
		if (is_alnum(*s)) {
			if (n + 2 > len)
				return -ENAMETOOLONG;
			buf[n++] = (char)*s;
		} else {
			if (n + 4 > len)
				return -ENAMETOOLONG;
			buf[n++] = '_';
			buf[n++] = hex[*s >> 4];
			buf[n++] = hex[*s & 15];
		}
	}
	buf[n] = '\0';
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;		/* upper case is not what we encode: non-canonical */
}

int bus_path_decode(const char *path, const char *prefix, char *buf, size_t len)
{
	size_t n = strlen(prefix), o = 0;
	const char *s;

	if (strncmp(path, prefix, n) != 0)
		return -EINVAL;
	s = path + n;
	if (n == 0 || prefix[n - 1] != '/') {
		if (*s != '/')
			return -EINVAL;
		s++;
	}
	if (!*s || strchr(s, '/'))
		return -EINVAL;
	if (!strcmp(s, "_")) {
		if (len < 1)
			return -ENAMETOOLONG;
		buf[0] = '\0';
		return 0;
	}
	for (; *s; s++) {
		unsigned char c;

		if (*s == '_') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = (unsigned char)(hi << 4 | lo);
			if (c == 0 || is_alnum(c))
				return -EINVAL;	/* NUL, or an escape we never write */
			s += 2;
		} else if (is_alnum((unsigned char)*s)) {
			c = (unsigned char)*s;
		} else {
			return -EINVAL;
		}
		if (o + 1 >= len)
			return -ENAMETOOLONG;
		buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return 0;
}

/* ---- introspection ------------------------------------------------------- */

/* Writes one <arg> per complete type of sig, named from names. */
static void xml_args(struct bus_sbuf *sb, const char *sig, const char *names, const char *dir)
{
	DBusSignatureIter it;
	const char *w;
	size_t wl;

	if (!sig || !*sig)
		return;
	dbus_signature_iter_init(&it, sig);
	do {
		char *t = dbus_signature_iter_get_signature(&it);

		wl = word_next(&names, &w);
		bus_sbuf_add(sb, "      <arg name=\"%.*s\" type=\"%s\"%s%s%s/>\n", (int)wl, w, t,
		       dir ? " direction=\"" : "", dir ? dir : "", dir ? "\"" : "");
		dbus_free(t);
	} while (dbus_signature_iter_next(&it));
}

void bus_xml_iface(struct bus_sbuf *sb, const struct bus_iface *i)
{
	bus_sbuf_add(sb, "  <interface name=\"%s\">\n", i->name);
	for (const struct bus_method *m = i->methods; m && m->name; m++) {
		if (!*m->in_sig && !*m->out_sig) {
			bus_sbuf_add(sb, "    <method name=\"%s\"/>\n", m->name);
			continue;
		}
		bus_sbuf_add(sb, "    <method name=\"%s\">\n", m->name);
		xml_args(sb, m->in_sig, m->in_names, "in");
		xml_args(sb, m->out_sig, m->out_names, "out");
		bus_sbuf_add(sb, "    </method>\n");
	}
	for (const struct bus_signal *s = i->signals; s && s->name; s++) {
		if (!*s->sig) {
			bus_sbuf_add(sb, "    <signal name=\"%s\"/>\n", s->name);
			continue;
		}
		bus_sbuf_add(sb, "    <signal name=\"%s\">\n", s->name);
		xml_args(sb, s->sig, s->arg_names, NULL);
		bus_sbuf_add(sb, "    </signal>\n");
	}
	for (const struct bus_property *p = i->props; p && p->name; p++) {
		const char *emits = p->flags & BUS_PROP_CONST ? "const" :
				    p->flags & BUS_PROP_EMITS_CHANGE ? NULL : "false";

		bus_sbuf_add(sb, "    <property name=\"%s\" type=\"%s\" access=\"%s\"%s\n", p->name,
		       p->sig, p->set ? "readwrite" : "read", emits ? ">" : "/>");
		if (emits)
			bus_sbuf_add(sb, "      <annotation name=\"org.freedesktop.DBus.Property."
			       "EmitsChangedSignal\" value=\"%s\"/>\n    </property>\n", emits);
	}
	bus_sbuf_add(sb, "  </interface>\n");
}

char *bus_iface_xml(const struct bus_iface *iface)
{
	struct bus_sbuf sb = { 0 };

	bus_xml_iface(&sb, iface);
	return sb.s;
}

static const char xml_std_peer[] =
	"  <interface name=\"org.freedesktop.DBus.Peer\">\n"
	"    <method name=\"Ping\"/>\n"
	"    <method name=\"GetMachineId\">\n"
	"      <arg name=\"machine_uuid\" type=\"s\" direction=\"out\"/>\n"
	"    </method>\n"
	"  </interface>\n"
	"  <interface name=\"org.freedesktop.DBus.Introspectable\">\n"
	"    <method name=\"Introspect\">\n"
	"      <arg name=\"xml_data\" type=\"s\" direction=\"out\"/>\n"
	"    </method>\n"
	"  </interface>\n";

static const char xml_std_props[] =
	"  <interface name=\"org.freedesktop.DBus.Properties\">\n"
	"    <method name=\"Get\">\n"
	"      <arg name=\"interface_name\" type=\"s\" direction=\"in\"/>\n"
	"      <arg name=\"property_name\" type=\"s\" direction=\"in\"/>\n"
	"      <arg name=\"value\" type=\"v\" direction=\"out\"/>\n"
	"    </method>\n"
	"    <method name=\"GetAll\">\n"
	"      <arg name=\"interface_name\" type=\"s\" direction=\"in\"/>\n"
	"      <arg name=\"props\" type=\"a{sv}\" direction=\"out\"/>\n"
	"    </method>\n"
	"    <method name=\"Set\">\n"
	"      <arg name=\"interface_name\" type=\"s\" direction=\"in\"/>\n"
	"      <arg name=\"property_name\" type=\"s\" direction=\"in\"/>\n"
	"      <arg name=\"value\" type=\"v\" direction=\"in\"/>\n"
	"    </method>\n"
	"    <signal name=\"PropertiesChanged\">\n"
	"      <arg name=\"interface_name\" type=\"s\"/>\n"
	"      <arg name=\"changed_properties\" type=\"a{sv}\"/>\n"
	"      <arg name=\"invalidated_properties\" type=\"as\"/>\n"
	"    </signal>\n"
	"  </interface>\n";

static const char xml_std_objmgr[] =
	"  <interface name=\"org.freedesktop.DBus.ObjectManager\">\n"
	"    <method name=\"GetManagedObjects\">\n"
	"      <arg name=\"objects\" type=\"a{oa{sa{sv}}}\" direction=\"out\"/>\n"
	"    </method>\n"
	"    <signal name=\"InterfacesAdded\">\n"
	"      <arg name=\"object_path\" type=\"o\"/>\n"
	"      <arg name=\"interfaces_and_properties\" type=\"a{sa{sv}}\"/>\n"
	"    </signal>\n"
	"    <signal name=\"InterfacesRemoved\">\n"
	"      <arg name=\"object_path\" type=\"o\"/>\n"
	"      <arg name=\"interfaces\" type=\"as\"/>\n"
	"    </signal>\n"
	"  </interface>\n";

void bus_xml_node_begin(struct bus_sbuf *sb, bool object, bool manager)
{
	bus_sbuf_add(sb, "%s<node>\n%s", DBUS_INTROSPECT_1_0_XML_DOCTYPE_DECL_NODE, xml_std_peer);
	if (object)
		bus_sbuf_add(sb, "%s", xml_std_props);
	if (object && manager)
		bus_sbuf_add(sb, "%s", xml_std_objmgr);
}

/* Counts complete types; -1 when sig is invalid. */
static int sig_count(const char *sig)
{
	DBusSignatureIter it;
	int n = 0;

	if (!sig || !dbus_signature_validate(sig, NULL))
		return -1;
	if (!*sig)
		return 0;
	dbus_signature_iter_init(&it, sig);
	do
		n++;
	while (dbus_signature_iter_next(&it));
	return n;
}

static int word_count(const char *s)
{
	const char *w;
	int n = 0;

	while (word_next(&s, &w))
		n++;
	return n;
}

static int check_args(const char *what, const char *name, const char *sig, const char *names,
		      char *errbuf, size_t len)
{
	int nt = sig_count(sig);

	if (nt < 0) {
		snprintf(errbuf, len, "%s %s: bad signature \"%s\"", what, name, sig ? sig : "");
		return -EINVAL;
	}
	if (word_count(names) != nt) {
		snprintf(errbuf, len, "%s %s: %d types but %d names", what, name, nt,
			 word_count(names));
		return -EINVAL;
	}
	return 0;
}

int bus_iface_check(const struct bus_iface *i, char *errbuf, size_t len)
{
	int r;

	if (!i->name || !dbus_validate_interface(i->name, NULL)) {
		snprintf(errbuf, len, "bad interface name \"%s\"", i->name ? i->name : "");
		return -EINVAL;
	}
	for (const struct bus_method *m = i->methods; m && m->name; m++) {
		if (!dbus_validate_member(m->name, NULL) || !m->fn) {
			snprintf(errbuf, len, "method %s: bad name or no handler", m->name);
			return -EINVAL;
		}
		r = check_args("method", m->name, m->in_sig, m->in_names, errbuf, len);
		if (r == 0)
			r = check_args("method", m->name, m->out_sig, m->out_names, errbuf, len);
		if (r < 0)
			return r;
	}
	for (const struct bus_signal *s = i->signals; s && s->name; s++) {
		if (!dbus_validate_member(s->name, NULL)) {
			snprintf(errbuf, len, "signal %s: bad name", s->name);
			return -EINVAL;
		}
		r = check_args("signal", s->name, s->sig, s->arg_names, errbuf, len);
		if (r < 0)
			return r;
	}
	for (const struct bus_property *p = i->props; p && p->name; p++) {
		if (!dbus_validate_member(p->name, NULL) || !p->get || sig_count(p->sig) != 1) {
			snprintf(errbuf, len, "property %s: bad name, signature or no getter",
				 p->name);
			return -EINVAL;
		}
	}
	if (i->snap_size && !i->snapshot) {
		snprintf(errbuf, len, "snapshot size without a snapshot function");
		return -EINVAL;
	}
	return 0;
}

/* ---- values for getters ------------------------------------------------------------ */

int bus_app_str(DBusMessageIter *it, const char *s)
{
	return dbus_message_iter_append_basic(it, DBUS_TYPE_STRING, &s) ? 0 : -ENOMEM;
}

int bus_app_u8(DBusMessageIter *it, unsigned v)
{
	unsigned char y = (unsigned char)v;

	return dbus_message_iter_append_basic(it, DBUS_TYPE_BYTE, &y) ? 0 : -ENOMEM;
}

int bus_app_u16(DBusMessageIter *it, unsigned v)
{
	dbus_uint16_t q = (dbus_uint16_t)v;

	return dbus_message_iter_append_basic(it, DBUS_TYPE_UINT16, &q) ? 0 : -ENOMEM;
}

int bus_app_u32(DBusMessageIter *it, uint32_t v)
{
	dbus_uint32_t u = v;

	return dbus_message_iter_append_basic(it, DBUS_TYPE_UINT32, &u) ? 0 : -ENOMEM;
}

int bus_app_u64(DBusMessageIter *it, uint64_t v)
{
	dbus_uint64_t t = v;

	return dbus_message_iter_append_basic(it, DBUS_TYPE_UINT64, &t) ? 0 : -ENOMEM;
}

int bus_app_bool(DBusMessageIter *it, bool v)
{
	dbus_bool_t b = v ? TRUE : FALSE;

	return dbus_message_iter_append_basic(it, DBUS_TYPE_BOOLEAN, &b) ? 0 : -ENOMEM;
}

/* ---- errors --------------------------------------------------------------------- */

const char *bus_errno_name(int err)
{
	switch (err < 0 ? -err : err) {
	case EINVAL:
	case ERANGE:
	case EDOM:
		return BUS_ERR_INVALID_ARG;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return BUS_ERR_NOT_FOUND;
	case EPERM:
	case EACCES:
		return BUS_ERR_ACCESS_DENIED;
	default:
		return BUS_ERR_FAILED;
	}
}

bool bus_uid_privileged(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

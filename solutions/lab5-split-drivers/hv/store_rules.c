/*
 * The store's paths and who may touch them (public/store.h). Pure C.
 * These are the store's isolation: a frontend must not be able to rewrite
 * another frontend's ring reference, or the backend's answer to it.
 */
#include <koan/exercise.h>
#include <koan/store.h>
#include <koan/fmt.h>
#include <koan/kstring.h>

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '/' || c == '-' || c == '_' || c == '.';
}

/* "/local/domain/N" for dom, into buf; its length. */
static uint32_t domain_dir(unsigned dom, char *buf, uint32_t size)
{
	return (uint32_t)ksnprintf(buf, size, "/local/domain/%u", dom);
}

// BEGIN EXERCISE lab5.7: paths and permissions (lab5-split-drivers/README.md, Exercise 4)
//   store_path_ok: true for an absolute path of 2 .. KOAN_STORE_PATH_MAX - 1
//   bytes, of the characters path_char_ok() allows, with no empty
//   component ("//") and no '/' at the end. `len` is the guest's: never
//   read past it, and a NUL inside makes the path bad.
//   store_path_within: path equals dir, or continues it with '/'.
//   store_may_write: dom0 anywhere; any other domain within its own
//   directory, /local/domain/N (domain_dir()).
//   store_may_read: what the domain may write, and for domain N also what
//   dom0 keeps for it, within /local/domain/0/backend/TYPE/N for any single
//   component TYPE.
bool store_path_ok(const char *path, uint32_t len)
{
	if (len < 2 || len >= KOAN_STORE_PATH_MAX || path[0] != '/' || path[len - 1] == '/')
		return false;
	for (uint32_t i = 0; i < len; i++)
		if (!path_char_ok(path[i]) || (path[i] == '/' && i + 1 < len && path[i + 1] == '/'))
			return false;
	return true;
}

bool store_path_within(const char *path, uint32_t len, const char *dir, uint32_t dir_len)
{
	return len >= dir_len && memcmp(path, dir, dir_len) == 0 &&
	       (len == dir_len || path[dir_len] == '/');
}

bool store_may_write(unsigned dom, const char *path, uint32_t len)
{
	char dir[32];

	if (dom == 0)
		return true;
	return store_path_within(path, len, dir, domain_dir(dom, dir, sizeof(dir)));
}

bool store_may_read(unsigned dom, const char *path, uint32_t len)
{
	static const char backend[] = "/local/domain/0/backend/";
	const uint32_t backend_len = sizeof(backend) - 1;
	char id[16];

	if (store_may_write(dom, path, len))
		return true;
	if (len <= backend_len || memcmp(path, backend, backend_len) != 0)
		return false;
	const char *type = path + backend_len, *end = path + len;
	const char *slash = type;
	while (slash < end && *slash != '/')
		slash++;
	if (slash == type || slash == end)
		return false;
	uint32_t id_len = (uint32_t)ksnprintf(id, sizeof(id), "%u", dom);
	uint32_t rest = (uint32_t)(end - slash - 1);
	return store_path_within(slash + 1, rest, id, id_len);
}
// STUB
//> bool store_path_ok(const char *path, uint32_t len)
//> {
//> 	EXERCISE_TODO("lab5.7", "the store's path rules in hv/store_rules.c allow nothing yet");
//> 	(void)path, (void)len, (void)path_char_ok;
//> 	return false;
//> }
//>
//> bool store_path_within(const char *path, uint32_t len, const char *dir, uint32_t dir_len)
//> {
//> 	(void)path, (void)len, (void)dir, (void)dir_len;
//> 	return false;
//> }
//>
//> bool store_may_write(unsigned dom, const char *path, uint32_t len)
//> {
//> 	(void)dom, (void)path, (void)len, (void)domain_dir;
//> 	return false;
//> }
//>
//> bool store_may_read(unsigned dom, const char *path, uint32_t len)
//> {
//> 	(void)dom, (void)path, (void)len;
//> 	return false;
//> }
// END EXERCISE

/* Lua conveniences on top of the shared interface, written against the Lua
 * C API because they take or give Lua tables. */
%native(insert) int mms_lua_insert(lua_State *L);
%native(update) int mms_lua_update(lua_State *L);
%native(ids) int mms_lua_ids(lua_State *L);
%native(kpi) int mms_lua_kpi(lua_State *L);
%{
/* Raises the pending error of the call (taking it, as %exception does). */
static int mms_lua_raise(lua_State *L, int fallback)
{
	int code = mms_swig_take();
	return luaL_error(L, "%s: %s", mms_swig_codes[mms_swig_index(code ? code : fallback)],
			  code ? mms_swig_msg : mms_errstr(fallback));
}

/* A Lua value as record text: booleans as true/false, arrays joined by '|'.
 * Returns 0, or -1 for a value that has no text (a table inside an array, a
 * function...), which must be refused rather than stored as "". */
static int mms_lua_text(lua_State *L, int idx, luaL_Buffer *b)
{
	if (lua_isboolean(L, idx)) {
		luaL_addstring(b, lua_toboolean(L, idx) ? "true" : "false");
	} else if (lua_istable(L, idx)) {
		lua_Integer n = luaL_len(L, idx);
		for (lua_Integer i = 1; i <= n; i++) {
			int t = lua_geti(L, idx, i);
			if (t != LUA_TSTRING && t != LUA_TNUMBER) {
				lua_pop(L, 1);
				return -1;
			}
			if (i > 1)
				luaL_addchar(b, '|');
			luaL_addvalue(b);
		}
	} else if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER) {
		lua_pushvalue(L, idx);
		luaL_addvalue(b);
	} else {
		return -1;
	}
	return 0;
}

/* The record of entity (a name at index 2) with the fields of the table at
 * index `table`; NULL and a pending error on failure. */
static mms_record *mms_lua_record(lua_State *L, Db **self, int table)
{
	*self = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)self, SWIGTYPE_p_Db, 0)))
		luaL_argerror(L, 1, "expected an mms.Db");
	const char *entity = luaL_checkstring(L, 2);
	luaL_checktype(L, table, LUA_TTABLE);
	mms_db *db = mms_swig_db(*self);
	int e = db ? mms_swig_entity(entity) : -1;
	mms_record *rec = NULL;
	if (e >= 0 && mms_record_new(&rec, e) != MMS_OK)
		mms_swig_fail(MMS_ENOMEM, NULL);
	int rc = rec ? MMS_OK : MMS_ERROR;
	lua_pushnil(L);
	while (rc == MMS_OK && lua_next(L, table) != 0) {
		luaL_Buffer b;
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int value = lua_gettop(L); /* before buffinit, which may push */
		luaL_buffinit(L, &b);
		int typed = mms_lua_text(L, value, &b);
		luaL_pushresult(&b);
		if (typed != 0) {
			char msg[200];
			snprintf(msg, sizeof msg, "field \"%.100s\": a %s has no text to store",
				 key ? key : "?", luaL_typename(L, value));
			rc = mms_swig_fail(MMS_ETYPE, msg);
		} else {
			rc = key ? mms_record_set(rec, key, lua_tostring(L, -1)) : MMS_EINVAL;
			if (rc != MMS_OK)
				mms_swig_fail(rc, "unknown field for this entity");
		}
		lua_pop(L, 2); /* the text and the value; the key stays for lua_next */
	}
	if (rc != MMS_OK) {
		mms_record_free(rec);
		return NULL;
	}
	return rec;
}

/* mms.insert(db, entity, {field = value, ...}) -> id */
static int mms_lua_insert(lua_State *L)
{
	mms_swig_begin(); /* before anything can fail */
	Db *self;
	mms_record *rec = mms_lua_record(L, &self, 3);
	int32_t id = -1;
	if (rec)
		mms_swig_check(self, mms_db_insert(self->db, rec, &id));
	mms_record_free(rec);
	if (mms_swig_rc)
		return mms_lua_raise(L, MMS_ERROR);
	lua_pushinteger(L, id);
	return 1;
}

/* mms.update(db, entity, code, {field = value, ...} [, actor [, from_date]]): "" clears a
 * field; from_date: the new values hold from that day, the old kept until the day before */
static int mms_lua_update(lua_State *L)
{
	mms_swig_begin(); /* before anything can fail */
	const char *code = luaL_checkstring(L, 3), *actor = luaL_optstring(L, 5, NULL);
	const char *from = luaL_optstring(L, 6, NULL);
	Db *self;
	mms_record *rec = mms_lua_record(L, &self, 4);
	mms_update_options o = MMS_UPDATE_OPTIONS_INIT;
	o.actor = actor;
	o.from = from;
	if (rec)
		mms_swig_check(self, mms_db_update_record(self->db, code, rec, &o, NULL));
	mms_record_free(rec);
	return mms_swig_rc ? mms_lua_raise(L, MMS_ERROR) : 0;
}

/* mms.kpi(db) -> an mms.Kpi that keeps db alive through its user value */
static int mms_lua_kpi(lua_State *L)
{
	mms_swig_begin(); /* before anything can fail */
	Db *db = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&db, SWIGTYPE_p_Db, 0)))
		return luaL_argerror(L, 1, "expected an mms.Db");
	Kpi *k = new_Kpi(db);
	if (!k)
		return mms_lua_raise(L, MMS_ENOMEM);
	SWIG_NewPointerObj(L, k, SWIGTYPE_p_Kpi, 1);
	lua_pushvalue(L, 1);
	lua_setiuservalue(L, -2, 1);
	return 1;
}

/* mms.ids(list) -> {id, id, ...} as a Lua array */
static int mms_lua_ids(lua_State *L)
{
	mms_swig_begin(); /* before anything can fail */
	IdList *list = NULL;
	if (!SWIG_IsOK(SWIG_ConvertPtr(L, 1, (void **)&list, SWIGTYPE_p_IdList, 0)))
		return luaL_argerror(L, 1, "expected an mms.IdList");
	size_t n = mms_idlist_count(IDS(list));
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		lua_pushinteger(L, mms_idlist_get(IDS(list), i));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}
%}

/* Python conveniences on top of the shared interface. */
%pythoncode %{
class Error(Exception):
    """A libmms call failed; the message names the record, field and value."""
    code = -1

def _error_class(name, code, doc):
    cls = type(name, (Error,), {"code": code, "__doc__": doc})
    globals()[name] = cls
    return cls

for _name, _code, _doc in [
        ("NoMemory", -2, "an allocation failed; nothing was changed"),
        ("InvalidArgument", -3, "a bad argument or a closed database"),
        ("NotFound", -4, "no record with that id or code"),
        ("StorageError", -5, "the database or a file could not be used"),
        ("Corrupt", -6, "not a libmms database, or a damaged one"),
        ("Busy", -7, "the database stayed locked past the timeout"),
        ("ParseError", -8, "input is not well-formed JSON or CSV"),
        ("TypeMismatch", -9, "a value of the wrong type or an unknown name"),
        ("RangeError", -10, "a value or date out of range or order"),
        ("UnknownReference", -11, "a reference names no known record"),
        ("DuplicateCode", -12, "a code is used twice"),
        ("CycleError", -13, "the unit hierarchy would contain a cycle"),
        ("LevelError", -14, "a unit's kind, level and parent do not fit"),
        ("MissingField", -15, "a required field is absent"),
        ("VersionError", -16, "made by a newer libmms"),
        ("AccessDenied", -17, "outside the scope the Db was opened with"),
        ("ReadOnly", -18, "the database can only be read"),
        ("OutputRefused", -19, "an output path is the database or one of its files")]:
    _error_class(_name, _code, _doc)

def _scalar(key, value):
    # a value that has no text of its own (a dict, a nested list, an object)
    # is refused rather than stored as its repr
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeMismatch('field "%s": a %s has no text to store' % (key, type(value).__name__))

def _text(key, value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return "|".join(_scalar(key, v) for v in value)
    return _scalar(key, value)

def _idlist_iter(self):
    for i in range(self.count()):
        yield self.get(i)

IdList.__len__ = lambda self: self.count()
IdList.__iter__ = _idlist_iter
IdList.__getitem__ = lambda self, i: self.get(i if i >= 0 else self.count() + i)

class Problem(tuple):
    """One problem of an import: (code, location, message)."""
    __slots__ = ()
    code = property(lambda self: self[0])
    location = property(lambda self: self[1])
    message = property(lambda self: self[2])

def _report_iter(self):
    for i in range(self.count()):
        yield Problem((self.code(i), self.location(i), self.message(i)))

Report.__len__ = lambda self: self.count()
Report.__iter__ = _report_iter

def _coverage_iter(self):
    for i in range(self.count()):
        missing = self.missing(i)
        yield (self.territory(i), self.performed(i).split("|") if self.performed(i) else [],
               missing.split("|") if missing else [])

Coverage.__len__ = lambda self: self.count()
Coverage.__iter__ = _coverage_iter

def _typology_dict(self):
    return {axis: (self.classification(axis), self.reason(axis))
            for axis in ("structure", "functioning", "load", "management")}

Typology.as_dict = _typology_dict

def _insert(self, entity, **fields):
    """Inserts one record given as keyword fields; returns its id.

    Values may be str, int, bool or a list (joined with '|')."""
    rec = Record(entity)
    for key, value in fields.items():
        rec.set(key, _text(key, value))
    return self.insert_record(rec)

def _update(self, entity, code, /, actor=None, from_date=None, **fields):
    """Changes the keyword fields of the record with this code, checked as an
    import; None (or "") clears a field, fields not named keep their values.
    With from_date (YYYY-MM-DD) the new values hold from that day and the old
    ones are kept as past values until the day before (dated fields only)."""
    rec = Record(entity)
    for key, value in fields.items():
        rec.set(key, "" if value is None else _text(key, value))
    self.update_record(code, rec, actor, from_date)

class Change(tuple):
    """One recorded change: (at, actor, field, old, new); field None = added."""
    __slots__ = ()
    at = property(lambda self: self[0])
    actor = property(lambda self: self[1])
    field = property(lambda self: self[2])
    old = property(lambda self: self[3])
    new = property(lambda self: self[4])

def _history_iter(self):
    for i in range(self.count()):
        yield Change((self.at(i), self.actor(i), self.field(i), self.old_value(i),
                      self.new_value(i)))

History.__len__ = lambda self: self.count()
History.__iter__ = _history_iter

def _unit(self, code):
    return self.find("units", code)

_kpi_init = Kpi.__init__

def _kpi_keep_db(self, db):
    _kpi_init(self, db)
    self._db = db  # the catalogue keeps its database alive

Kpi.__init__ = _kpi_keep_db

def _withdraw(self, id, unit, year):
    self.target_set(id, unit, year, float("nan"))

def _kpi_ids(self):
    return [self.id(i) for i in range(self.count())]

def _clusters_iter(self):
    for i in range(self.count()):
        yield (self.unit(i), self.score(i), self.level(i), self.leader(i), self.curator(i),
               self.explain(i))

Clusters.__len__ = lambda self: self.count()
Clusters.__iter__ = _clusters_iter
Kpi.withdraw_target = _withdraw
Kpi.ids = _kpi_ids
Kpi.__len__ = lambda self: self.count()
KpiValue.__repr__ = lambda self: "<KpiValue %s %r (%g/%g) target %s %s>" % (
    self.status_name, self.value, self.numerator, self.denominator,
    self.target if self.has_target else None, self.band or "")

Db.kpi = lambda self: Kpi(self)
Db.insert = _insert
_import_file, _import_json = Db.import_file, Db.import_json
Db.import_file = lambda self, path, format="auto", dry_run=0, mode="add", actor=None, max_bytes=0, \
    scope=None, year=0: _import_file(self, path, format, dry_run, mode, actor, max_bytes, scope, year)
Db.import_json = lambda self, json, dry_run=0, mode="add", actor=None, scope=None, year=0: \
    _import_json(self, json, dry_run, mode, actor, scope, year)
Db.update = _update
_delete = Db.delete
Db.delete = lambda self, entity, code, cascade=False, actor=None: \
    _delete(self, entity, code, 1 if cascade else 0, actor)
Db.unit = _unit
Db.__enter__ = lambda self: self
Db.__exit__ = lambda self, *exc: self.close()
%}

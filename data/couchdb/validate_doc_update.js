function (newDoc, oldDoc, userCtx, secObj) {
  /* The guard of a Leadkeeper database: the validate_doc_update of
   * _design/leadkeeper (data/couchdb/design-leadkeeper.json). ES5 only, for
   * the JavaScript engines of CouchDB 3 and pouchdb-server alike; secObj
   * is not used (pouchdb-server passes {} for _bulk_docs). The reasons are
   * shown to people and logged; clients match on "forbidden" only.
   * Design documents never reach this function: the server leaves them to
   * database admins. */
  var roles = (userCtx && userCtx.roles) || [];
  var isManager = roles.indexOf('_admin') !== -1 || roles.indexOf('manager') !== -1;
  var isLead = newDoc._id.indexOf('lead:') === 0;

  function reject(reason) {
    throw ({ forbidden: reason });
  }

  function isInteger(value) {
    return typeof value === 'number' && isFinite(value) && Math.floor(value) === value;
  }

  /* Each field of a version-1 lead (SYNC.md "Documents"): missing is
   * valid, a wrong type is not. */
  var kinds = {
    code: 'string', company: 'string', industry: 'string', company_size: 'string',
    contact: 'string', title: 'string', phone: 'string', email: 'string', im: 'string',
    region: 'string', source: 'string', campaign: 'string', needs: 'string',
    currency: 'string', grade: 'string', temperature: 'string', stage: 'string',
    lost_reason: 'string', notes: 'string', created_by: 'string', updated_by: 'string',
    budget: 'amount', amount: 'amount',
    score: 'integer',
    owner: 'user',
    assigned_at: 'time', stage_entered_at: 'time', next_followup_at: 'time',
    first_contacted_at: 'time', last_contacted_at: 'time', created_at: 'time',
    updated_at: 'time',
    mql: 'bool', sql: 'bool', consent: 'bool', do_not_contact: 'bool',
    tags: 'tags',
    bant: 'bant'
  };
  var expected = {
    string: 'a string',
    amount: 'an integer amount in minor units, not negative',
    integer: 'an integer',
    user: 'a user id (a string) or null',
    time: 'a time in Unix milliseconds (an integer, not negative) or null',
    bool: 'true or false',
    tags: 'a list of strings',
    bant: 'an object of true or false values (budget, authority, need, timeline)'
  };

  function valid(kind, value) {
    var i;
    switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'amount':
      return isInteger(value) && value >= 0;
    case 'integer':
      return isInteger(value);
    case 'user':
      return value === null || typeof value === 'string';
    case 'time':
      return value === null || (isInteger(value) && value >= 0);
    case 'bool':
      return typeof value === 'boolean';
    case 'tags':
      if (Object.prototype.toString.call(value) !== '[object Array]')
        return false;
      for (i = 0; i < value.length; i++)
        if (typeof value[i] !== 'string')
          return false;
      return true;
    case 'bant':
      if (value === null || typeof value !== 'object' ||
          Object.prototype.toString.call(value) === '[object Array]')
        return false;
      for (i in value)
        if ((i === 'budget' || i === 'authority' || i === 'need' || i === 'timeline') &&
            typeof value[i] !== 'boolean')
          return false;
      return true;
    }
    return true;
  }

  function ownerOf(doc) {
    return (typeof doc.owner === 'string' && doc.owner !== '') ? doc.owner : null;
  }

  if (newDoc._deleted) {
    if (isLead && !isManager)
      reject('Only a manager may delete a lead.');
    return;
  }

  if (typeof newDoc.type !== 'string' || newDoc.type === '')
    reject('The document has no "type" (a string).');

  if (!isLead)
    return;

  if (newDoc.type !== 'lead')
    reject('A "lead:" document must have the type "lead", not "' + newDoc.type + '".');
  if (newDoc.schema !== undefined && !(isInteger(newDoc.schema) && newDoc.schema >= 1))
    reject('The field "schema" must be a version number (an integer from 1).');
  for (var field in kinds) {
    if (newDoc[field] !== undefined && !valid(kinds[field], newDoc[field]))
      reject('The field "' + field + '" must be ' + expected[kinds[field]] + '.');
  }

  /* Owners: a manager assigns anyone's lead; anyone else may hand on or
   * release a lead they own, and claim an unowned one for themselves.
   * A new lead, or one brought back after a delete (the user chose
   * "Restore"), may name any owner. */
  if (!isManager && oldDoc && !oldDoc._deleted) {
    var me = 'user:' + userCtx.name;
    var before = ownerOf(oldDoc);
    var after = (typeof newDoc.owner === 'string' && newDoc.owner !== '') ? newDoc.owner : null;

    if (before !== after && before !== me && !(before === null && after === me)) {
      if (before === null)
        reject('Only a manager may give an unowned lead to someone else; you may take it yourself.');
      reject('Only a manager may change the owner of a lead that belongs to ' + before + '.');
    }
  }
}

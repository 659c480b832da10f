package main

// worldHelp is extlink help world: the world file's schema, every key with
// its default, and the whatif change that sets it.
const worldHelp = `A world file is one JSON document (UTF-8) describing a whole world:
tenants, users, links, the tenants' address books and groups. Every command
reads one with -world FILE (- for standard input); extlink validate checks
one and lists every problem; extlink init writes a starter. Reading is
strict: an unknown key, a repeated key, a value of the wrong type (null
included) or an unknown word is an error.

KEY                         DEFAULT       MEANING                                    WHATIF CHANGE
tenants                     required      the companies                              -
  id                        required      the tenant's ID                            -
  name                      ""            its display name                           -
  policy                    all defaults  the admin's settings (extlink.Policy)      -
    works                   "off"         who may talk with outside LINE WORKS       T.works=off|all|listed
                                          users: "off", "all" or "listed" (only
                                          users with "connected") (R2)
    line                    "off"         who may talk with LINE users, the same     T.line=off|all|listed
                                          words (R2, R6)
    noCalls                 false         voice and video calls switched off (R3)    T.calls=on|off (inverted)
    membersCreateGroups     false         members, not only admins, create groups    T.create=members|admins
                                          (R12)
    membersLeaveGroups      false         members may leave groups themselves;       T.leave=yes|no
                                          else a master removes them (R18, D5)
users                       required      the people                                 -
  id                        required      the user's ID                              -
  name                      ""            the display name, shown beside the ID      -
  tenant                    required*     the user's tenant; "" for a LINE user      -
                                          (*required for a LINE WORKS user)
  kind                      "works"       "works" (LINE WORKS) or "line" (LINE)      -
  role                      "member"      "member" or "admin"                        -
  connected                 false         on the tenant's connected-members list     connect U, disconnect U,
                                          (R2: counts when works or line is          U.connected=yes|no
                                          "listed")
links                       []            mutual external links, each a pair         link A B, unlink A B
                                          ["A", "B"] in either order, between
                                          tenants (R5); given once each
contacts                    []            address-book entries (R4)                  -
  tenant                    required      whose address book it is in                -
  owner                     required      the member of that tenant who shared it    -
  user                      ""            the outsider's user ID, if they have one   -
  name                      ""            the entry's name (user or name required)   -
  email                     ""            its e-mail address; "" for none (R4)       -
groups                      []            groups as they stand (R22, R23)            -
  name                      ""            the name -group uses (else its index)      -
  members                   required*     user IDs in join order, earliest first     -
                                          (*unless dissolved)
  masters                   required*     the masters, members all (*unless          -
                                          dissolved)
  external                  false         whether it spans tenants (R11), fixed at   -
                                          creation
  home                      required      the creator's tenant                       -
  dissolved                 false         everyone has left (D4)                     -

A tenant switch of whatif changes that one key of the policy as it stands
and leaves the others; whatif cannot change names, kinds, roles, contacts
or groups (a group is reconciled with the changed directory, R20).
Commands that read a world count its groups as Reconcile leaves them with
the directory (R20).

Example (examples/seed.json, the post's cast):

  {
    "tenants": [
      {"id": "t1", "name": "our company", "policy": {"works": "all", "line": "off", "membersCreateGroups": true}},
      {"id": "t2", "name": "the partner", "policy": {"works": "all", "line": "off", "membersCreateGroups": true}}
    ],
    "users": [
      {"id": "a", "name": "A", "tenant": "t1"},
      {"id": "me", "name": "me", "tenant": "t1"},
      {"id": "b", "name": "B", "tenant": "t2"}
    ],
    "links": [["a", "b"]],
    "contacts": [
      {"tenant": "t1", "owner": "a", "user": "b", "name": "B", "email": "b@partner.example"}
    ]
  }

See also go doc github.com/extlink/extlink/world.
`

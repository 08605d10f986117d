// Imports every module that defines error codes, so the catalog is complete for docs/errors.md.
// Add a line here for each new errors file.
import '../config/errors'
import '../connectors/errors'
import '../core/protocol/errors'
import '../mirror/errors'
import '../connectors/distributed/errors'
import '../core/group/errors'
import '../core/log/errors'
import '../core/server/errors'
import '../core/server/acls/errors'
import '../mirror/wire/errors'

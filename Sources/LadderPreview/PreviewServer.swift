import LadderKit
// The preview server (issue: `ladder preview`) is built here.

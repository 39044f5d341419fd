package fake

// Stand-ins for what the generator emits per spec (the operation table, the
// schema table and configure), so that this package compiles and its
// tests run on its own. They describe a tiny APEX-style API.

var opPing = &operation{id: "Ping", method: "POST", path: "/Ping", handler: "HandlePing", body: &vtype{kind: 'o', obj: 0}, bodyRequired: true}

var operations = []*operation{opPing}

var schemas = []vobject{
	{name: "PingRequest", closed: true, fields: []vfield{
		{name: "OMSId", t: vtype{kind: 'i'}, required: true},
		{name: "Note", t: vtype{kind: 's', null: true}},
		{name: "Tags", t: vtype{kind: 'a', elem: &vtype{kind: 's'}}},
	}},
}

func configure(s *Server) { enableAPEX(s) }

// Validate data graphs against a shapes graph with shacl-engine (rdf-ext) and its SPARQL
// plugin (SHACL-SPARQL constraints, W3C SHACL §5), for tests/test_shacl_engine.py.
//
//   node validate.mjs SHAPES DATA...
//
// Each DATA file (N-Triples or Turtle) is validated on its own; its validation report is
// written beside it as DATA.report.nt, untouched (shacl-engine fills each {?name} of
// sh:message with the N-Triples form of the value, where pySHACL and Jena write its lexical
// form: the test reads both the same way). The shapes are loaded and compiled once.
import fs from 'node:fs'
import { Readable } from 'node:stream'
import ParserN3 from '@rdfjs/parser-n3'
import toNT from '@rdfjs/to-ntriples'
import rdf from 'rdf-ext'
import Validator from 'shacl-engine/Validator.js'
import { validations } from 'shacl-engine/sparql.js'

async function load (file) {
  const dataset = rdf.dataset()
  const quads = new ParserN3().import(Readable.from([fs.readFileSync(file, 'utf8')]), { baseIRI: '' })
  for await (const quad of quads) {
    dataset.add(quad)
  }
  return dataset
}

const [shapesFile, ...dataFiles] = process.argv.slice(2)
if (!shapesFile || dataFiles.length === 0) {
  console.error('usage: node validate.mjs SHAPES DATA...')
  process.exit(2)
}
const validator = new Validator(await load(shapesFile), { factory: rdf, validations })
for (const file of dataFiles) {
  const report = await validator.validate({ dataset: await load(file) })
  const lines = [...report.dataset].map(quad => toNT(quad))
  fs.writeFileSync(`${file}.report.nt`, lines.join('\n') + '\n')
  console.log(`${file}: ${report.results.length} results`)
}

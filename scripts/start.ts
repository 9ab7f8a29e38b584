// `npm start`: the embedded platform (every service in one process) once the first vertical slice
// lands. Until then it says plainly what exists, rather than pretending.
console.log(
  [
    'Strata: no runnable service exists yet.',
    'What is here: the shared kernel, the aggregate RPC runtime and the event pipeline (see README.md).',
    'Run the tests with: ./strata test',
  ].join('\n'),
);

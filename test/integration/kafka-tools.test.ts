import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, inject, it} from 'vitest'

import {classpath} from '../../src/local/java.js'
import {ensureKafkaJars} from '../../src/local/maven.js'
import {kafkaToolClasses} from '../../src/local/versions.js'
import {runProcess} from '../helpers/process.js'

const version = inject('kafkaVersion')

/** Loads each named class without initialising it and prints the ones the JVM cannot find. */
const CHECKER = `
public class MissingClasses {
  public static void main(String[] names) {
    for (String name : names) {
      try { Class.forName(name, false, MissingClasses.class.getClassLoader()); }
      catch (ClassNotFoundException e) { System.out.println(name); }
    }
  }
}
`

describe(`Kafka ${version}'s tool classes`, () => {
  let dir = ''
  afterAll(async () => {
    if (dir) await rm(dir, {recursive: true, force: true})
  })

  it('are where the version table says, in the very jars the suite runs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kadm-classes-'))
    const source = join(dir, 'MissingClasses.java')
    await writeFile(source, CHECKER)
    const dist = await ensureKafkaJars(version)
    const classes = Object.values(kafkaToolClasses(version))
    const result = await runProcess('java', ['-cp', classpath(dist), source, ...classes], {timeoutMs: 60_000})
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.trim().split('\n').filter(Boolean)).toEqual([])
    // The checker itself can fail: a class that no release has is reported.
    const control = await runProcess('java', ['-cp', classpath(dist), source, 'kafka.admin.NoSuchCommand'], {timeoutMs: 60_000})
    expect(control.stdout.trim()).toBe('kafka.admin.NoSuchCommand')
  })
})

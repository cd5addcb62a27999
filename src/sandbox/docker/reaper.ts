// Removes a hookbox process's containers when that process dies, however it dies: started by
// the docker backend with an IPC channel, it waits for the channel to close (hookbox exited, or
// was SIGKILLed by the OOM killer or a CI timeout, when no handler of its own can run) and then
// force-removes every container labelled with hookbox's pid.
import Docker from 'dockerode';

export const OWNER_LABEL = 'dev.hookbox.owner';

const owner = process.argv[2];
if (owner !== undefined && process.send !== undefined) {
  process.on('disconnect', () => {
    const docker = new Docker();
    docker
      .listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } })
      .then((containers) => Promise.all(containers.map((info) => docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined))))
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
